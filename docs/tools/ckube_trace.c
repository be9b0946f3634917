/* ckube_trace.c: `ckube-trace ARGS` = `ckube trace ARGS`, for trees whose
 * ckube main.c does not dispatch `trace` yet (docs.mk builds it). */
#include "ckube/trace.h"

int main(int argc, char **argv) { return ck_trace_main(argc, argv); }
