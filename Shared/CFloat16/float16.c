// The conversions are static inline in the header; this file makes the C target buildable.
#include "cairn_float16.h"
