#pragma once
// Local umbrella header: keeps absolute include paths out of the module map.
#include <cblas.h>
#include <lapacke.h>
#include <dlfcn.h>

// Makes OpenBLAS compute every call on the calling thread and ends its worker threads; returns 1 when this is an
// OpenBLAS, 0 otherwise (another BLAS, left as it is). Its idle workers busy-wait in sched_yield for about 0.1 s after
// the library loads and after each call, which takes a core from the engine's own threads. Looked up by name because
// neither function is in every cblas.h, and the shutdown is OpenBLAS's fork handler, not its documented API. The
// order matters: setting the thread count restarts a pool that was shut down.
static inline int faultline_openblas_use_calling_thread(void) {
    void (*set_threads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    int (*shut_down)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "blas_thread_shutdown_");
    if (set_threads == 0) return 0;
    set_threads(1);
    if (shut_down != 0) shut_down();
    return 1;
}

// OpenBLAS's thread count, or -1 when the linked BLAS is not OpenBLAS.
static inline int faultline_openblas_threads(void) {
    int (*get_threads)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    return get_threads == 0 ? -1 : get_threads();
}
