@each v0 in resolution.body
@each v1 in resolution.body
@each v2 in resolution.body
@each v3 in resolution.body
@each v4 in resolution.body
@each v5 in resolution.body
@if v0.kind == nothing
body: x
@end
@end
@end
@end
@end
@end
@end
