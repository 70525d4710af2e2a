// A fixed team of threads for the forward pass: run(fn) calls fn(context, i) for every member i
// (the caller is member 0) and returns when all are done. Members spin briefly between jobs
// before sleeping, so the dozens of hand-offs in one short query cost microseconds, not the
// wake-up latency of a sleeping thread.
#pragma once
#include <stddef.h>

typedef struct minilm_team minilm_team;
typedef void (*minilm_task)(void *context, size_t member);

/// A team of `size` members (size - 1 new threads). NULL if a thread cannot be started.
minilm_team *minilm_team_create(size_t size);
size_t minilm_team_size(const minilm_team *team);
/// Runs task(context, i) for i in 0..<size, member 0 on the calling thread. Not reentrant:
/// one run at a time per team.
void minilm_team_run(minilm_team *team, minilm_task task, void *context);
/// Stops and joins the threads.
void minilm_team_destroy(minilm_team *team);
