// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the files lab export --kubernetes puts in a node's
 * ConfigMap (src/kube.c): text as data, binary as binaryData, and file =
 * directories and executables in files.tar, which node run --unpack opens.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_proto.h"
#include "kube.h"
#include "kube_unit.h"
#include "lab.h"
#include "lab_unit.h"
#include "tar.h"
#include "unit.h"

/* files the profile copies in: text as data, binary as binaryData */
static void files(void)
{
	char t[] = "/tmp/umnet-kube-text.XXXXXX",
	     b[] = "/tmp/umnet-kube-bin.XXXXXX";
	char text[1024];
	struct kube_manifests m = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *y;
	int ft = mkstemp(t), fb = mkstemp(b), ret;

	CHECK("temporary files", ft >= 0 && fb >= 0, "mkstemp");
	if (ft < 0 || fb < 0)
		return;
	/* a leading space: not a literal block, a quoted string */
	(void)!write(ft, " indented \"q\"\nline\n", 19);
	(void)!write(fb, "\x00\x01\x02\xff", 4);
	close(ft);
	close(fb);
	/* as files usually are: 0644 (mkstemp made them 0600) */
	chmod(t, 0644);
	chmod(b, 0644);
	snprintf(
		text, sizeof(text),
		"[lab]\nname = kf\n[node a]\nfile = %s /etc/a.txt\n"
		"file = %s /etc/a.bin\n[node b]\n"
		"[link w]\nendpoint = a 10.1.0.1/24\nendpoint = b 10.1.0.2/24\n",
		t, b);
	ret = lab_unit_text(text, &lab, &e);
	if (!ret)
		ret = kube_export(
			&lab,
			&(struct kube_opts){ .image = "reg.example/umnet:1",
					     .ns = "labs" },
			&m, &e);
	CHECK("a lab with files exports", ret == 0, "%s", e.msg);
	y = ret ? NULL : kube_file_text(&m, "a.yaml");
	if (y) {
		CHECK("a text file that cannot be a block is a quoted string",
		      strstr(y,
			     "  file-0: \" indented \\\"q\\\"\\nline\\n\"\n") !=
			      NULL,
		      "%s", y);
		CHECK("a binary file is base64 binaryData",
		      strstr(y, "binaryData:\n  file-1: AAEC/w==\n") != NULL,
		      "%s", y);
		CHECK("the profile names the files where the ConfigMap is",
		      strstr(y,
			     "    file = /etc/umnet/node/file-0 /etc/a.txt\n") &&
			      strstr(y,
				     "    file = /etc/umnet/node/file-1 /etc/a.bin\n"),
		      "%s", y);
		CHECK("--image and --namespace are used",
		      strstr(y, "        image: reg.example/umnet:1\n") &&
			      strstr(y, "  namespace: labs\n"),
		      "%s", y);
	}
	kube_manifests_free(&m);
	lab_free(&lab);
	unlink(t);
	unlink(b);
}

/* the base64 value of key in the ConfigMap y, decoded into *out */
static ssize_t binary_key(const char *y, const char *key, char **out)
{
	char want[80];
	const char *v, *end;
	ssize_t n;

	snprintf(want, sizeof(want), "\n  %s: ", key);
	v = strstr(y, want);
	if (!v)
		return -1;
	v += strlen(want);
	end = strchr(v, '\n');
	*out = malloc(end - v + 1);
	n = *out ? b64_decode(v, end - v, *out) : -1;
	return n;
}

/* file = a directory, an executable, a key: one archive the pod unpacks */
static void trees(void)
{
	char d[] = "/tmp/umnet-kube-tree.XXXXXX", path[PATH_MAX], text[1024];
	char out[PATH_MAX], *tar = NULL, *got = NULL;
	struct kube_manifests m = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	const char *y = NULL;
	ssize_t n = -1;
	int ret;

	if (!mkdtemp(d)) {
		UNIT_FAIL("temporary directory", "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/tree/etc/frr", d);
	mkdir_p(path, 0755);
	snprintf(path, sizeof(path), "%s/tree/etc/frr/frr.conf", d);
	write_file(path, "router ospf\n", 12, 0640);
	snprintf(path, sizeof(path), "%s/hello", d);
	write_file(path, "#!/bin/sh\necho hello\n", 22, 0755);
	chmod(path, 0755);
	snprintf(path, sizeof(path), "%s/plain.txt", d);
	write_file(path, "plain\n", 6, 0644);
	chmod(path, 0644);
	snprintf(path, sizeof(path), "%s/key", d);
	write_file(path, "secret\n", 7, 0600);
	chmod(path, 0600);
	snprintf(text, sizeof(text),
		 "[lab]\nname = kt\n[node a]\nfile = %s/plain.txt /etc/p\n"
		 "file = %s/tree /\nfile = %s/hello /usr/local/bin/hello\n"
		 "file = %s/key /etc/key\n"
		 "[node b]\n[link w]\nendpoint = a 10.1.0.1/24\n"
		 "endpoint = b 10.1.0.2/24\n",
		 d, d, d, d);
	ret = lab_unit_text(text, &lab, &e);
	if (!ret)
		ret = kube_export(&lab, &(struct kube_opts){ 0 }, &m, &e);
	CHECK("a lab with a file = directory exports", !ret, "%s", e.msg);
	y = ret ? NULL : kube_file_text(&m, "a.yaml");
	if (!y)
		goto out;
	CHECK("a 0644 file stays a readable key; the tree, the executable and the 0600 key go in files.tar",
	      strstr(y, "    file = /etc/umnet/node/file-0 /etc/p\n") &&
		      strstr(y, "    file = /tmp/umnet-files/1 /\n") &&
		      strstr(y,
			     "    file = /tmp/umnet-files/2 /usr/local/bin/hello\n") &&
		      strstr(y, "    file = /tmp/umnet-files/3 /etc/key\n") &&
		      strstr(y, "\nbinaryData:\n  files.tar: ") &&
		      !strstr(y, "file-1") && !strstr(y, "file-2"),
	      "%s", y);
	CHECK("the pod unpacks it before the profile is read",
	      strstr(y, "        - --unpack\n"
			"        - /etc/umnet/node/files.tar=/tmp/umnet-files\n"
			"        - /etc/umnet/node/node.profile\n"),
	      "%s", y);
	n = binary_key(y, "files.tar", &tar);
	snprintf(out, sizeof(out), "%s/pod", d);
	mkdir(out, 0700);
	ret = n > 0 ? tar_unpack(tar, n, out, &e) : -1;
	CHECK("the archive holds the tree and the executable, modes kept",
	      !ret &&
		      !read_file(strcat(out, "/1/etc/frr/frr.conf"), &got,
				 NULL) &&
		      !strcmp(got, "router ospf\n"),
	      "%zd %d %s", n, ret, e.msg);
	snprintf(out, sizeof(out), "%s/pod/2", d);
	{
		struct stat st;

		CHECK("the executable is 0755 where the pod reads it",
		      !stat(out, &st) && (st.st_mode & 07777) == 0755, "%s",
		      out);
		snprintf(out, sizeof(out), "%s/pod/3", d);
		CHECK("the key is 0600 where the pod reads it",
		      !stat(out, &st) && (st.st_mode & 07777) == 0600, "%s",
		      out);
	}
out:
	free(tar);
	free(got);
	kube_manifests_free(&m);
	lab_free(&lab);
	rm_rf(d);
}

/* a second export into the same directory: the first one's stale files go */
static void stale(void)
{
	char d[] = "/tmp/umnet-kube-stale.XXXXXX", path[PATH_MAX];
	struct kube_manifests m = { 0 };
	struct strbuf removed = { 0 };
	struct lab lab = { 0 };
	struct err e = { "" };
	int ret;

	if (!mkdtemp(d)) {
		UNIT_FAIL("temporary directory", "mkdtemp");
		return;
	}
	/* what an earlier export of ks (with node gone) and of another lab
	 * left, and a file of the user's */
	snprintf(path, sizeof(path), "%s/gone.yaml", d);
	write_file(
		path,
		"# umnet lab ks, node gone (umnet lab export --kubernetes)\n",
		58, 0644);
	snprintf(path, sizeof(path), "%s/other.yaml", d);
	write_file(path,
		   "# umnet lab ks2, node x (umnet lab export --kubernetes)\n",
		   56, 0644);
	snprintf(path, sizeof(path), "%s/mine.yaml", d);
	write_file(path, "# umnet lab ks: my notes\n", 25, 0644);
	ret = lab_unit_text("[lab]\nname = ks\n[node a]\n[node b]\n"
			    "[link w]\nendpoint = a\nendpoint = b\n",
			    &lab, &e);
	if (!ret)
		ret = kube_export(&lab, NULL, &m, &e);
	if (!ret)
		ret = kube_write(&m, d, &removed, &e);
	snprintf(path, sizeof(path), "%s/gone.yaml", d);
	CHECK("an earlier export's file of a removed node is removed, named",
	      !ret && access(path, F_OK) &&
		      !strcmp(sb_str(&removed), "gone.yaml "),
	      "%d %s: [%s]", ret, e.msg, sb_str(&removed));
	snprintf(path, sizeof(path), "%s/other.yaml", d);
	CHECK("another lab's file stays", !access(path, F_OK), "%s", path);
	snprintf(path, sizeof(path), "%s/mine.yaml", d);
	CHECK("a file without the export's header stays", !access(path, F_OK),
	      "%s", path);
	snprintf(path, sizeof(path), "%s/a.yaml", d);
	CHECK("this export's files are there", !access(path, F_OK), "%s", path);
	sb_free(&removed);
	kube_manifests_free(&m);
	lab_free(&lab);
	rm_rf(d);
}

int main(void)
{
	files();
	trees();
	stale();
	UNIT_DONE();
}
