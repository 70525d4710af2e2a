#include "minilm_team.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

/// How long an idle member spins for the next job before it sleeps.
#define SPIN_NANOSECONDS 100000
/// How long the caller spins for the other members before it yields its core to them (they may
/// have been descheduled on a busy machine).
#define YIELD_NANOSECONDS 20000

struct minilm_team {
    size_t size;
    pthread_t *threads;
    minilm_task task;
    void *context;
    atomic_ulong generation;   // bumped once per run (and once to stop)
    atomic_size_t remaining;   // members still working on the current run
    atomic_int stopping;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
};

struct member_start {
    minilm_team *team;
    size_t index;
};

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static inline long long now_nanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void *member_main(void *argument) {
    struct member_start start = *(struct member_start *)argument;
    free(argument);
    minilm_team *team = start.team;
    unsigned long seen = 0;
    for (;;) {
        unsigned long generation;
        long long idle_since = now_nanoseconds();
        unsigned spins = 0;
        while ((generation = atomic_load_explicit(&team->generation, memory_order_acquire)) == seen) {
            relax();
            if (++spins % 64 != 0 || now_nanoseconds() - idle_since < SPIN_NANOSECONDS) continue;
            pthread_mutex_lock(&team->mutex);
            while (atomic_load_explicit(&team->generation, memory_order_acquire) == seen)
                pthread_cond_wait(&team->wake, &team->mutex);
            pthread_mutex_unlock(&team->mutex);
            idle_since = now_nanoseconds();
        }
        seen = generation;
        if (atomic_load_explicit(&team->stopping, memory_order_acquire)) return NULL;
        team->task(team->context, start.index);
        atomic_fetch_sub_explicit(&team->remaining, 1, memory_order_acq_rel);
    }
}

minilm_team *minilm_team_create(size_t size) {
    if (size < 1) size = 1;
    minilm_team *team = calloc(1, sizeof *team);
    if (!team) return NULL;
    team->size = size;
    atomic_init(&team->generation, 0);
    atomic_init(&team->remaining, 0);
    atomic_init(&team->stopping, 0);
    pthread_mutex_init(&team->mutex, NULL);
    pthread_cond_init(&team->wake, NULL);
    team->threads = calloc(size, sizeof(pthread_t));
    if (!team->threads) { free(team); return NULL; }
    for (size_t i = 1; i < size; i++) {
        struct member_start *start = malloc(sizeof *start);
        if (!start) { team->size = i; minilm_team_destroy(team); return NULL; }
        start->team = team;
        start->index = i;
        if (pthread_create(&team->threads[i], NULL, member_main, start) != 0) {
            free(start);
            team->size = i;
            minilm_team_destroy(team);
            return NULL;
        }
    }
    return team;
}

size_t minilm_team_size(const minilm_team *team) { return team->size; }

void minilm_team_run(minilm_team *team, minilm_task task, void *context) {
    if (team->size == 1) { task(context, 0); return; }
    team->task = task;
    team->context = context;
    atomic_store_explicit(&team->remaining, team->size - 1, memory_order_release);
    pthread_mutex_lock(&team->mutex);
    atomic_fetch_add_explicit(&team->generation, 1, memory_order_acq_rel);
    pthread_cond_broadcast(&team->wake);
    pthread_mutex_unlock(&team->mutex);
    task(context, 0);
    long long waiting_since = now_nanoseconds();
    unsigned spins = 0;
    while (atomic_load_explicit(&team->remaining, memory_order_acquire) != 0) {
        relax();
        if (++spins % 64 == 0 && now_nanoseconds() - waiting_since > YIELD_NANOSECONDS) sched_yield();
    }
}

void minilm_team_destroy(minilm_team *team) {
    if (!team) return;
    atomic_store_explicit(&team->stopping, 1, memory_order_release);
    pthread_mutex_lock(&team->mutex);
    atomic_fetch_add_explicit(&team->generation, 1, memory_order_acq_rel);
    pthread_cond_broadcast(&team->wake);
    pthread_mutex_unlock(&team->mutex);
    for (size_t i = 1; i < team->size; i++) pthread_join(team->threads[i], NULL);
    pthread_mutex_destroy(&team->mutex);
    pthread_cond_destroy(&team->wake);
    free(team->threads);
    free(team);
}
