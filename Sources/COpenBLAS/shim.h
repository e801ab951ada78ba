#pragma once
// Local umbrella header: keeps absolute include paths out of the module map.
#include <cblas.h>
#include <lapacke.h>
#include <dlfcn.h>
#include <dirent.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

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

// Puts the process's other threads under SCHED_IDLE (they then run only on an otherwise idle core) when there are
// exactly `expected` of them, and returns 1; returns 0, changing nothing, otherwise. For a program's main, before it
// starts threads: the other threads are then OpenBLAS's workers, started by the library's load-time constructor,
// which busy-wait (sched_yield) for about 0.1 s, taking a core from the program. Linux only (0 elsewhere).
static inline int faultline_idle_other_threads(int expected) {
#if defined(__linux__)
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
    pid_t self = (pid_t)syscall(SYS_gettid);
    pid_t others[64];
    int count = 0;
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == 0) return 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != 0) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        pid_t tid = (pid_t)atoi(entry->d_name);
        if (tid == self) continue;
        if (count == 64) { count = -1; break; }
        others[count++] = tid;
    }
    closedir(tasks);
    if (count != expected || count <= 0) return 0;
    struct sched_param parameters = {0};
    for (int index = 0; index < count; index++) sched_setscheduler(others[index], SCHED_IDLE, &parameters);
    return 1;
#else
    (void)expected;
    return 0;
#endif
}
