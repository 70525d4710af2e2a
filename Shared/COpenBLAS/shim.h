// Debian's libopenblas-dev: cblas.h (with openblas_set_num_threads) via the alternatives link.
#include <x86_64-linux-gnu/cblas.h>
