// SPDX-License-Identifier: GPL-2.0
/*
 * The jail's seccomp filter: a deny table of system calls a UML kernel never
 * makes, written out as classic BPF by hand (no libseccomp). Installed by
 * jail_enter as its last step.
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include "jail.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#if defined(__x86_64__)
#define JAIL_AUDIT_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000

#define DENY(nr)                              \
	{                                     \
		nr, SECCOMP_RET_ERRNO | EPERM \
	}

/*
 * System calls a UML kernel (and the switch, keeper, holder) never makes:
 * each returns EPERM. Everything not listed is allowed, in particular what
 * UML depends on: ptrace (it traces its own children with PTRACE_SYSEMU;
 * the guest's system calls stop in ptrace before seccomp runs and are never
 * executed, so the filter only sees the host calls of UML and its stubs),
 * clone/fork/wait4 (clone without namespace flags, below), kill/tkill,
 * mmap/mprotect with PROT_EXEC, signals, personality, sockets (vector
 * transports), timers, and the file calls on its disks.
 * Checked against arch/um/os-Linux of linux 6.12: no use of any of these.
 */
static const struct {
	unsigned int nr;
	unsigned int ret;
} deny[] = {
	DENY(__NR_mount), /* filesystems: the jail's tree is final */
	DENY(__NR_umount2), /* ... and cannot be uncovered */
	DENY(__NR_pivot_root), /* no new root */
	DENY(__NR_chroot), /* no chroot games (needs a cap anyway) */
	DENY(__NR_fsopen), /* new mount API, same as mount */
	DENY(__NR_fsconfig), /* new mount API */
	DENY(__NR_fsmount), /* new mount API */
	DENY(__NR_fspick), /* new mount API: reconfigure a mount */
	DENY(__NR_move_mount), /* new mount API */
	DENY(__NR_open_tree), /* new mount API: clone a tree */
	DENY(__NR_mount_setattr), /* new mount API: change mount flags */
	DENY(__NR_open_by_handle_at), /* opens by handle, bypassing paths */
	DENY(__NR_name_to_handle_at), /* ... and its counterpart */
	DENY(__NR_setns), /* no entering other namespaces */
	DENY(__NR_kexec_load), /* never replace the host kernel */
	DENY(__NR_kexec_file_load), /* ditto */
	DENY(__NR_init_module), /* no host kernel modules */
	DENY(__NR_finit_module), /* ditto */
	DENY(__NR_delete_module), /* ditto */
	DENY(__NR_reboot), /* the host's, not the guest's */
	DENY(__NR_swapon), /* host swap */
	DENY(__NR_swapoff), /* host swap */
	DENY(__NR_acct), /* process accounting file */
	DENY(__NR_quotactl), /* disk quotas */
	DENY(__NR_quotactl_fd), /* disk quotas */
	DENY(__NR_bpf), /* host eBPF: a large attack surface;
					   bpffile= uses classic BPF via
					   setsockopt, which stays allowed */
	DENY(__NR_perf_event_open), /* host perf: attack surface, leaks */
	DENY(__NR_userfaultfd), /* helps win kernel races */
	DENY(__NR_keyctl), /* host keyrings */
	DENY(__NR_add_key), /* host keyrings */
	DENY(__NR_request_key), /* host keyrings */
	DENY(__NR_io_uring_setup), /* io_uring: attack surface, unused */
	DENY(__NR_io_uring_enter), /* ditto */
	DENY(__NR_io_uring_register), /* ditto */
	DENY(__NR_iopl), /* port I/O */
	DENY(__NR_ioperm), /* port I/O */
	DENY(__NR_settimeofday), /* host clock */
	DENY(__NR_clock_settime), /* host clock */
	DENY(__NR_adjtimex), /* host clock (also reads: unused) */
	DENY(__NR_clock_adjtime), /* host clock */
	DENY(__NR_syslog), /* host kernel log */
	DENY(__NR_lookup_dcookie), /* oprofile leftovers */
	DENY(__NR_fanotify_init), /* filesystem-wide monitoring */
	DENY(__NR_sethostname), /* host UTS (the guest's is its own) */
	DENY(__NR_setdomainname), /* host UTS */
	DENY(__NR_vhangup), /* host terminals */
	DENY(__NR_uselib), /* obsolete loader call */
	DENY(__NR_pidfd_getfd), /* steal fds from a same-uid process */
	DENY(__NR_process_vm_readv), /* unused by UML 6.12 (it uses ptrace
					   and its stub), so only hygiene */
	DENY(__NR_process_vm_writev), /* ditto */
	DENY(__NR_kcmp), /* compares kernel objects of others */
	{ __NR_clone3, SECCOMP_RET_ERRNO | ENOSYS }, /* flags are behind a
					   pointer, uncheckable: ENOSYS makes
					   libc fall back to clone */
};

/* namespace flags refused in clone and unshare */
#define NS_FLAGS                                                       \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

#define NDENY ARRAY_SIZE(deny)
/* arch (3) + nr (1) + x32 (2) + clone (5) + unshare (5) + 2 per entry + 1 */
#define PROG_LEN (3 + 1 + 2 + 5 + 5 + 2 * NDENY + 1)

#define ARG0_LO offsetof(struct seccomp_data, args[0]) /* little endian */

static int build_filter(struct sock_filter *f)
{
	int n = 0;
	size_t i;

#define EMIT(code, k, jt, jf) \
	f[n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf)
	/* another architecture's calling convention: kill, never guess */
	EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0,
	     0);
	EMIT(BPF_JMP | BPF_JEQ | BPF_K, JAIL_AUDIT_ARCH, 1, 0);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	EMIT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	/* x32 system calls: a second table with the same arch value */
	EMIT(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM, 0, 0);
	/* clone: fine without namespace flags (UML's own processes) */
	EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
	EMIT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
	EMIT(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM, 0, 0);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
	/* unshare: CLONE_FILES/FS/SYSVSEM are harmless, namespaces are not */
	EMIT(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 4);
	EMIT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
	EMIT(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS | CLONE_NEWTIME, 0, 1);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM, 0, 0);
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
	for (i = 0; i < NDENY; i++) {
		EMIT(BPF_JMP | BPF_JEQ | BPF_K, deny[i].nr, 0, 1);
		EMIT(BPF_RET | BPF_K, deny[i].ret, 0, 0);
	}
	EMIT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
#undef EMIT
	return n;
}

int jail_seccomp_len(void)
{
	return PROG_LEN;
}

int jail_seccomp_install(void)
{
	struct sock_filter f[PROG_LEN];
	struct sock_fprog prog = { .filter = f };

	prog.len = build_filter(f);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
#else
int jail_seccomp_len(void)
{
	return 0;
}

int jail_seccomp_install(void)
{
	return -ENOSYS; /* the filter is written for x86_64 (UML's arch) */
}
#endif
