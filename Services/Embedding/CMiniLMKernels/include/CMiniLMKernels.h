// The module's umbrella header.
#include "minilm_kernels.h"
#include "minilm_team.h"
