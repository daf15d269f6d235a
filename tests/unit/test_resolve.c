// SPDX-License-Identifier: GPL-2.0
/*
 * resolve.c: host_resolve and the lookup that runs beside its caller
 * (resolve_start/resolve_done/resolve_free, a thread per lookup), as the
 * switch's remote ports use it. Addresses and /etc/hosts names only, plus one name that cannot
 * exist (.invalid), whose answer depends on no server being right.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <time.h>

#include "resolve.h"
#include "unit.h"

/* poll resolve_done every 5 ms, for at most ms: its last answer */
static int wait_done(struct resolve_async *ra, struct addrinfo **res, int ms)
{
	struct timespec d = { .tv_nsec = 5000000 };
	int r;

	while ((r = resolve_done(ra, res)) == EAI_INPROGRESS && ms > 0) {
		nanosleep(&d, NULL);
		ms -= 5;
	}
	return r;
}

static void async_case(const char *name, const char *host, const char *want)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_family = AF_INET },
			*res = NULL;
	struct resolve_async *ra = NULL;
	char got[INET_ADDRSTRLEN] = "";
	int r, port = 0;

	r = resolve_start(host, "1701", &hints, -1, &ra);
	if (!r)
		r = wait_done(ra, &res, 10000);
	if (!r && res) {
		struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;

		inet_ntop(AF_INET, &sin->sin_addr, got, sizeof(got));
		port = ntohs(sin->sin_port);
	}
	CHECK(name, !r && !strcmp(got, want) && port == 1701,
	      "ret %d (%s), address %s port %d, want %s port 1701", r,
	      r ? gai_strerror(r) : "-", got, port, want);
	/* answered once: later calls say the same and hand out nothing */
	if (!r) {
		struct addrinfo *again = NULL;

		r = resolve_done(ra, &again);
		CHECK("resolve_done after its answer: 0, no second result",
		      r == 0 && !again, "ret %d res %p", r, (void *)again);
	}
	freeaddrinfo(res);
	resolve_free(ra);
}

int main(void)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res = NULL;
	struct resolve_async *ra = NULL;
	char longname[400];
	int r;

	async_case("resolve_start: an address", "127.0.0.1", "127.0.0.1");
	async_case("resolve_start: a name in /etc/hosts", "localhost",
		   "127.0.0.1");

	/* the eventfd says when it ended, through the thread's own dup: the
	 * caller's fd may be closed at once */
	{
		int efd = eventfd(0, EFD_CLOEXEC), efd2;
		struct pollfd pfd = { .events = POLLIN };
		uint64_t n = 0;

		r = resolve_start("localhost", "1701", &hints, efd, &ra);
		efd2 = dup(efd);
		close(efd);
		pfd.fd = efd2;
		CHECK("notify_fd: readable when the lookup ends",
		      !r && poll(&pfd, 1, 10000) == 1 &&
			      read(efd2, &n, sizeof(n)) == sizeof(n) && n == 1,
		      "ret %d n %llu", r, (unsigned long long)n);
		r = resolve_done(ra, &res);
		CHECK("... and resolve_done has the answer", !r && res,
		      "ret %d", r);
		freeaddrinfo(res);
		res = NULL;
		resolve_free(ra);
		ra = NULL;
		close(efd2);
	}

	/* no such name (nor HOST-pod, HOST-pod-0): the first name's error,
	 * NONAME from a name server, AGAIN where none answers */
	r = resolve_start("umnet-nosuch.invalid", "1701", &hints, -1, &ra);
	if (!r)
		r = wait_done(ra, &res, 120000);
	CHECK("resolve_start: a name that does not exist fails",
	      r == EAI_NONAME || r == EAI_AGAIN || r == EAI_NODATA,
	      "ret %d (%s)", r, gai_strerror(r));
	CHECK("resolve_start: ... and hands out no result", !res, "res %p",
	      (void *)res);
	resolve_free(ra);

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ra = (struct resolve_async *)&hints; /* must be reset */
	r = resolve_start(longname, "1701", &hints, -1, &ra);
	CHECK("resolve_start: a name too long for HOST-pod-0",
	      r == EAI_OVERFLOW && !ra, "ret %d ra %p", r, (void *)ra);
	resolve_free(NULL);

	/* let go while the lookup runs: its thread frees what is left (ASan
	 * sees a use after free or a leak here) */
	r = 0;
	for (int i = 0; i < 50 && !r; i++) {
		r = resolve_start("localhost", "1701", &hints, -1, &ra);
		resolve_free(ra);
	}
	CHECK("resolve_free while the lookup runs, 50 times", !r, "ret %d", r);
	{
		struct timespec d = { .tv_nsec = 300000000 };

		nanosleep(&d, NULL); /* the threads end before the process */
	}

	r = host_resolve("127.0.0.1", "1701", &hints, &res);
	CHECK("host_resolve: an address", !r && res, "ret %d", r);
	freeaddrinfo(res);
	UNIT_DONE();
}
