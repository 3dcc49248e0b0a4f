/* batch.c — vanban batch (issue 4); for now a clear message. */
#include "vb.h"
#include <stdio.h>
int vb_batch_main(int argc, char **argv);
int vb_batch_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "vanban batch: not built yet\n");
    return VB_EXIT_USAGE;
}
