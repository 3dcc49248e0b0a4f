type_name: Thông báo
