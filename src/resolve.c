// SPDX-License-Identifier: GPL-2.0
/* Looking up a peer by name (resolve.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resolve.h"

/* the names tried, in order of preference: HOST, HOST-pod, HOST-pod-0 */
static const char *const suffix[] = { "", "-pod", "-pod-0" };
#define NSUFFIX (sizeof(suffix) / sizeof(suffix[0]))
#define NAME_MAX_LEN 300
/* a lookup thread: getaddrinfo and the NSS modules it loads */
#define RESOLVE_STACK (1024 * 1024)

/*
 * One lookup, shared by its caller and the thread that runs it: whichever
 * lets go last frees it (refs), with a result nobody took.
 */
struct resolve_async {
	atomic_int refs;
	atomic_bool done; /* ret and res are the thread's answer */
	int ret;
	struct addrinfo *res;
	bool taken; /* resolve_done handed res out */
	bool has_hints, has_service;
	int notify; /* the thread's own dup of notify_fd, -1: none */
	struct addrinfo hints;
	char host[NAME_MAX_LEN];
	char service[32];
};

int host_resolve(const char *host, const char *service,
		 const struct addrinfo *hints, struct addrinfo **res)
{
	char name[NAME_MAX_LEN];
	int r, first = 0;

	for (size_t i = 0; i < NSUFFIX; i++) {
		snprintf(name, sizeof(name), "%s%s", host, suffix[i]);
		r = getaddrinfo(name, service, hints, res);
		if (!r)
			return 0;
		if (!i)
			first = r;
	}
	return first;
}

static void put(struct resolve_async *ra)
{
	if (atomic_fetch_sub_explicit(&ra->refs, 1, memory_order_acq_rel) != 1)
		return;
	if (ra->res)
		freeaddrinfo(ra->res);
	if (ra->notify >= 0)
		close(ra->notify);
	free(ra);
}

static void *lookup(void *arg)
{
	struct resolve_async *ra = arg;

	ra->ret = host_resolve(ra->host, ra->has_service ? ra->service : NULL,
			       ra->has_hints ? &ra->hints : NULL, &ra->res);
	if (ra->ret)
		ra->res = NULL;
	atomic_store_explicit(&ra->done, true, memory_order_release);
	if (ra->notify >= 0) {
		uint64_t one = 1;

		if (write(ra->notify, &one, sizeof(one)) < 0) {
			/* full (2^64 - 2) or not an eventfd: the caller polls */
		}
	}
	put(ra);
	return NULL;
}

int resolve_start(const char *host, const char *service,
		  const struct addrinfo *hints, int notify_fd,
		  struct resolve_async **out)
{
	struct resolve_async *ra;
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;
	int r;

	*out = NULL;
	if (strlen(host) + strlen("-pod-0") >= NAME_MAX_LEN ||
	    (service && strlen(service) >= sizeof(ra->service)))
		return EAI_OVERFLOW;
	ra = calloc(1, sizeof(*ra));
	if (!ra)
		return EAI_MEMORY;
	strcpy(ra->host, host);
	if (service) {
		strcpy(ra->service, service);
		ra->has_service = true;
	}
	if (hints) {
		ra->hints = *hints;
		ra->has_hints = true;
	}
	ra->notify = -1;
	if (notify_fd >= 0) {
		ra->notify = fcntl(notify_fd, F_DUPFD_CLOEXEC, 0);
		if (ra->notify < 0) {
			free(ra);
			return EAI_SYSTEM;
		}
	}
	atomic_init(&ra->refs, 2);
	atomic_init(&ra->done, false);
	if (pthread_attr_init(&attr)) {
		if (ra->notify >= 0)
			close(ra->notify);
		free(ra);
		return EAI_MEMORY;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, RESOLVE_STACK);
	/* the thread takes no signal: they stay the caller's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&t, &attr, lookup, ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r) {
		if (ra->notify >= 0)
			close(ra->notify);
		free(ra);
		errno = r;
		return EAI_SYSTEM;
	}
	*out = ra;
	return 0;
}

int resolve_done(struct resolve_async *ra, struct addrinfo **res)
{
	*res = NULL;
	if (!atomic_load_explicit(&ra->done, memory_order_acquire))
		return EAI_INPROGRESS;
	if (!ra->ret && !ra->taken) {
		*res = ra->res;
		ra->res = NULL;
		ra->taken = true;
	}
	return ra->ret;
}

void resolve_free(struct resolve_async *ra)
{
	if (ra)
		put(ra);
}
