body: x
@include ../../../../../etc/passwd
