#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the hand-made seeds of the fuzz corpora (tests/fuzz/corpus/NAME/)
and copy the shipped configs into them. Run from the top of the tree after
changing a format; crash regressions (crash-*) and the node.conf files
made by umnet from configs/ (nodeconf/gen-*) are kept as they are."""
import base64
import glob
import os
import shutil
import struct

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
NONCE = b"0123456789abcdef"


def put(name, fname, data):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


def copy(name, pattern, prefix=""):
    for p in sorted(glob.glob(os.path.join(TOP, pattern))):
        d = os.path.join(CORPUS, name)
        os.makedirs(d, exist_ok=True)
        shutil.copy(p, os.path.join(d, prefix + os.path.basename(p)))


# profile and argv: shipped and malformed profiles
for h in ("profile", "argv"):
    copy(h, "configs/*.profile")
    copy(h, "tests/profiles/bad/*.profile", "bad-")
    copy(h, "tests/unit/data/*.profile", "unit-")

# lab: shipped and malformed labs
copy("lab", "configs/labs/*.lab")
copy("lab", "tests/labs/bad/*.lab", "bad-")

# journal: what plan_apply writes, and near misses
put("journal", "all", "netns umnet-r1-lan0\nlink - r1-h0\nlink lan0 r1-h1\n"
    "l2tp - 4000\nl2tp lan1 4294967295\n")
put("journal", "bad", "netns\nlink -\nl2tp - 0\nl2tp - 4294967296\n"
    "l2tp - 12x\nfoo a b\nnetns a b\n\n\n")
put("journal", "long", "link " + "n" * 200 + " " + "i" * 200 + "\n")

# nodeconf: lines of every keyword and their usage errors
put("nodeconf", "keywords", """# comment
hostname r1
sysctl net.ipv4.ip_forward 1
sysctl net/ipv4/conf/all.forwarding 1
link vec0
link vec1 mtu 9000
addr vec0 10.1.0.2/24
addr vec0 fd00::2/64
route 10.30.0.0/24 via 10.20.0.2
route default via fd00::1
nft firewall.nft
file files/0 /srv/www/index.html
run mkdir -p /var/lib/misc
daemon udhcpd -f /etc/udhcpd.conf
""")
put("nodeconf", "errors", """hostname
hostname a b
sysctl ../x 1
sysctl a.b
link vec0 mtu x
link vec0 mtu
addr vec0 10.1.0.2
addr vec0 10.1.0.2/33
addr vec0 zz::1/64
nft /etc/shadow
nft ../x
file a relative
file ../x /y
run
daemon \t
unknown keyword
route
""")

# agent_reply: frames for nonce 0123456789abcdef, others' and damaged ones
o = base64.b64encode(b"hello\n")
put("agent_reply", "frames", NONCE + b" o " + o + b"\n" + NONCE + b" e " +
    base64.b64encode(b"warning\n") + b"\n" + b"fedcba9876543210 o " + o +
    b"\n" + NONCE + b" o !!!!\n" + NONCE + b" x 0\n")
put("agent_reply", "exit", NONCE + b" x 255\n" + NONCE + b" x 256\n" +
    NONCE + b" x -1\n" + NONCE + b" x 1a\n" + NONCE + b" x 137\n")
put("agent_reply", "padding", NONCE + b" o YQ==\n" + NONCE + b" o YWI=\n" +
    NONCE + b" o YW\n" + NONCE + b" e =\n" + NONCE + b" o \n")

# agent_request: exec and kill requests
args = base64.b64encode(b"ip\0-4\0addr\0show\0")
put("agent_request", "exec", b"\nX " + NONCE + b" " + args + b"\n")
put("agent_request", "kill", b"K " + NONCE + b"\nK 0123\nX " + NONCE +
    b" " + base64.b64encode(b"\0") + b"\n")
put("agent_request", "bad", b"X " + NONCE + b" " +
    base64.b64encode(b"no-nul") + b"\nX 0123456789ABCDEF " + args +
    b"\nX " + NONCE + b" ====\n")


# mconsole: datagrams, each with a 2-byte little-endian length
def dgram(b):
    return struct.pack("<H", len(b)) + b


def reply(err, more, data):
    return dgram(struct.pack("=III", err, more, len(data)) + data)


def notify(typ, data, magic=0xcafebabe, version=2):
    return dgram(struct.pack("=IIII", magic, version, typ, len(data)) + data)


put("mconsole", "reply", reply(0, 1, b"part one\0") + reply(0, 0, b"two\0"))
put("mconsole", "error", reply(1, 0, b"unknown command\0"))
put("mconsole", "notify", notify(3, b"ready") + notify(0, b"/x/mconsole\0") +
    notify(1, b"panic\0"))
put("mconsole", "bad", reply(0, 0, b"") + dgram(b"short") +
    dgram(struct.pack("=III", 0, 0, 600)) + notify(3, b"x", magic=1) +
    notify(3, b"x", version=1))


# cow: the header versions and byte orders UML reads
def cow_v1(back=b"/base.img"):
    return struct.pack("=ii256sIQi", 0x4f4f4f4d, 1, back, 1700000000,
                       1 << 30, 512)


def cow_v2(back=b"/base.img"):
    return struct.pack(">II4096sIQi", 0x4f4f4f4d, 2, back, 1700000000,
                       1 << 30, 512)


def cow_v3(back=b"/base.img"):
    return struct.pack(">IIIQIII4096s", 0x4f4f4f4d, 3, 1700000000, 1 << 30,
                       512, 512, 0, back)


def cow_v3_broken(back=b"/base.img"):
    return (struct.pack(">II", 0x4f4f4f4d, 3) + struct.pack(">q", 1700000000)
            + struct.pack(">QIII", 1 << 30, 512, 512, 0) + b"\0" * 4 + back +
            b"\0" * (4096 - 4 - len(back)))


put("cow", "v1", cow_v1())
put("cow", "v2", cow_v2())
put("cow", "v3", cow_v3())
put("cow", "v3-broken", cow_v3_broken())
put("cow", "v1-swapped", struct.pack(">ii", 0x4f4f4f4d, 1) + cow_v1()[8:])
put("cow", "short", cow_v3()[:100])
put("cow", "zero-sector", struct.pack(">II4096sIQi", 0x4f4f4f4d, 2,
                                      b"/b", 0, 0, 0))
put("cow", "long-path", cow_v1(b"/" + b"x" * 255))


# switch: a port count, then frames (P L0 L1 DATA) and rounds (0xff)
def frame(port, dst, src, payload=b"\x08\x06" + b"\0" * 28):
    f = dst + src + payload
    return bytes([port]) + struct.pack("<H", len(f)) + f


BC = b"\xff" * 6
A = b"\x02\0\0\0\0\x0a"
B = b"\x02\0\0\0\0\x0b"
C = b"\x02\0\0\0\0\x0c"
put("switch", "learn", b"\x01" + frame(0, BC, A) + b"\xff" + frame(1, A, B) +
    b"\xff" + frame(0, B, A) + frame(0, C, A) + b"\xff")
put("switch", "move", b"\x02" + frame(0, BC, A) + frame(1, BC, A) +
    frame(2, A, B) + b"\xff\xfe\x00" + frame(1, A, C) + b"\xff")
put("switch", "bad", b"\x03" + bytes([0]) + struct.pack("<H", 5) + b"runt!" +
    frame(1, BC, b"\x01\0\0\0\0\x01") + bytes([2, 0, 0]) + b"\xfd\x01" +
    frame(0, A, A) + b"\xff")


# tar: ustar archives as tar_add writes them (node run --unpack reads them)
def tarball(entries):
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, kind, mode, data in entries:
            ti = tarfile.TarInfo(name)
            ti.mode = mode
            ti.mtime = 0
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "link":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


put("tar", "tree", tarball([
    ("0/", "dir", 0o755, None),
    ("0/etc/", "dir", 0o750, None),
    ("0/etc/frr.conf", "file", 0o640, b"router ospf\n" * 50),
    ("0/bin/hello", "file", 0o755, b"#!/bin/sh\necho hi\n"),
    ("0/link", "link", 0o777, "etc/frr.conf"),
    ("0/ro/", "dir", 0o555, None),
    ("1", "file", 0o644, b"\0\1\2"),
    ("d/" + "x" * 90 + "/" + "y" * 90 + "/z", "file", 0o644, b"deep"),
]))
put("tar", "escape", tarball([
    ("l", "link", 0o777, ".."),
    ("l/", "dir", 0o755, None),
    ("l/pwn", "file", 0o644, b"x"),
    ("../up", "file", 0o644, b"x"),
    ("/abs", "file", 0o644, b"x"),
]))
