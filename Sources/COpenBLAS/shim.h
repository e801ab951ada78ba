#pragma once
// Local umbrella header: keeps absolute include paths out of the module map.
#include <cblas.h>
#include <lapacke.h>
