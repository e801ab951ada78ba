#pragma once
// Local umbrella header: keeps absolute include paths out of the module map.
#include <cblas.h>
#include <lapacke.h>
#include <dlfcn.h>

// Makes OpenBLAS compute every call on the calling thread; returns 1 when this is an OpenBLAS, 0 otherwise (another
// BLAS, left as it is). Looked up by name because not every cblas.h declares it. Its worker threads stay: they
// busy-wait for about 0.1 s after the library loads, then sleep, and are not woken again. (Ending them with
// OpenBLAS's fork handler, blas_thread_shutdown_, saved that 0.1 s but once hung in pthread_join in a test process:
// not worth the risk.)
static inline int faultline_openblas_use_calling_thread(void) {
    void (*set_threads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (set_threads == 0) return 0;
    set_threads(1);
    return 1;
}

// OpenBLAS's thread count, or -1 when the linked BLAS is not OpenBLAS.
static inline int faultline_openblas_threads(void) {
    int (*get_threads)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    return get_threads == 0 ? -1 : get_threads();
}
