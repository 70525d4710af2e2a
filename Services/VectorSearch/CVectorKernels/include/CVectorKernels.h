// The module's umbrella header.
#include "vector_kernels.h"
