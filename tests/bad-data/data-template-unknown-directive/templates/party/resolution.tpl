body: x
@import /etc/passwd
