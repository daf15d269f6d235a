# SPDX-License-Identifier: GPL-2.0
# md2man.awk: turn one of umnet's markdown pages (docs/*.md) into a man page,
# so the markdown stays the one source and the man page cannot drift.
#
#   awk -v version=0.1.0 -v date=2026-11-28 -v docdir=/usr/share/doc/umnet \
#       -f scripts/md2man.awk docs/profile.md >build/man/umnet-profile.5
#
# The page says what it becomes in HTML comments (invisible on GitHub):
#   <!-- man: umnet-profile(5): the umnet appliance profile format -->
#   <!-- man-see-also: umnet(8), umnet-lab(5), ip(8) -->
# Handled: "# title" (dropped: NAME comes from the comment), text before
# the first "##" (DESCRIPTION), "##" (.SH), "###" (.SS), paragraphs, fenced
# code blocks, tables (one tagged paragraph per row: the first column is
# the tag, the middle ones "header: value", the last the text), "- " lists
# with indented continuation lines, `code`, **bold**, *italic*, [text](link)
# (a link to another page that is a man page names it, one to a page that
# is not names where it is installed under docdir). Plain mawk, no gawk.

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# replace every `from` in s by `to`, literally (no regex, no & or \ rules)
function repl(s, from, to,    out, i) {
	out = ""
	while ((i = index(s, from)) > 0) {
		out = out substr(s, 1, i - 1) to
		s = substr(s, i + length(from))
	}
	return out s
}

# escape text for roff; in code, "-" is a minus (what one types)
function esc(s, code,    out, i, c, n) {
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\")
			out = out "\\e"
		else if (c == "-" && code)
			out = out "\\-"
		else
			out = out c
	}
	out = repl(out, "\342\200\224", "\\(em")	# em dash
	out = repl(out, "\342\200\223", "\\(en")	# en dash
	out = repl(out, "\302\265", "\\(mc")		# micro sign
	out = repl(out, "\342\206\222", "\\(->")	# right arrow
	out = repl(out, "\342\211\244", "\\(<=")
	out = repl(out, "\342\211\245", "\\(>=")
	out = repl(out, "\303\227", "\\(mu")
	if (out ~ /[\200-\377]/)
		fail("a character md2man cannot map to roff: add it to esc()")
	return out
}

function linkref(url,    base) {
	if (url ~ /^https?:/)
		return " <" url ">"
	base = url
	sub(/#.*/, "", base)
	if (base in manpage)
		return " (" manpage[base] ")"
	if (base == "")
		return ""
	return " (" docdir "/" base ")"
}

# markdown inline markup to roff
function inl(s,    out, plain, i, j, n, c, rest, t, u) {
	out = ""
	plain = ""
	n = length(s)
	i = 1
	while (i <= n) {
		c = substr(s, i, 1)
		rest = substr(s, i + 1)
		if (c ~ /[`*[]/ && plain != "") {
			out = out esc(plain, 0)
			plain = ""
		}
		if (c == "`" && (j = index(rest, "`")) > 0) {
			out = out "\\fB" esc(substr(rest, 1, j - 1), 1) "\\fR"
			i += j + 1
			continue
		}
		if (substr(s, i, 2) == "**" && (j = index(substr(s, i + 2), "**")) > 1) {
			out = out "\\fB" inl(substr(s, i + 2, j - 1)) "\\fR"
			i += j + 3
			continue
		}
		if (c == "*" && rest !~ /^[ *]/ && (j = index(rest, "*")) > 1 &&
		    substr(rest, j - 1, 1) != " ") {
			out = out "\\fI" inl(substr(rest, 1, j - 1)) "\\fR"
			i += j + 1
			continue
		}
		if (c == "[" && (j = index(rest, "]")) > 0 &&
		    substr(rest, j + 1, 1) == "(" &&
		    (u = index(substr(rest, j + 2), ")")) > 0) {
			t = substr(rest, 1, j - 1)
			u = substr(rest, j + 2, u - 1)
			if (t == u && u in manpage)	# [lab.md](lab.md)
				out = out manpage[u]
			else if (t == u && u !~ /^https?:/)
				out = out esc(docdir "/" u, 0)
			else
				out = out inl(t) linkref(u)
			u = length(u) + 1
			i += j + u + 2
			continue
		}
		plain = plain c
		i++
	}
	return out esc(plain, 0)
}

# one output line; a line roff would read as a request is protected
function emit(line) {
	if (line ~ /^[.']/)
		line = "\\&" line
	print line
}

function req(r) { print r }

# split a table row on | outside `code`
function cells(line, arr,    n, i, c, cur, code) {
	sub(/^[ \t]*\|/, "", line)
	sub(/\|[ \t]*$/, "", line)
	n = 0
	cur = ""
	code = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "`")
			code = !code
		if (c == "|" && !code) {
			arr[++n] = trim(cur)
			cur = ""
		} else {
			cur = cur c
		}
	}
	arr[++n] = trim(cur)
	return n
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function heading_text(s, upper) {
	s = trim(s)
	# plain words become the usual upper case; keys like [interface vecN] stay
	if (upper && s ~ /^[A-Za-z ,]+$/)
		s = toupper(s)
	return inl(s)
}

function start_body() {
	if (!started) {
		if (name == "")
			fail("no <!-- man: NAME(SECTION): description --> line")
		started = 1
		req(".SH DESCRIPTION")
	}
}

# a paragraph or list item is converted whole: `code` may span lines
function flush(    text, nl, i) {
	if (pbuf == "")
		return
	text = inl(pbuf) "\n"
	pbuf = ""
	while ((i = index(text, "\n")) > 0) {
		emit(substr(text, 1, i - 1))
		text = substr(text, i + 1)
	}
}

function add(line) {
	line = trim(line)
	pbuf = pbuf == "" ? line : pbuf "\n" line
}

function end_block() {
	flush()
	if (inlist) {
		inlist = 0
		req(".RE")
	}
	intable = 0
	para = 0
}

BEGIN {
	manpage["umnet.md"] = "umnet(8)"
	manpage["profile.md"] = "umnet\\-profile(5)"
	manpage["lab.md"] = "umnet\\-lab(5)"
	if (docdir == "")
		docdir = "/usr/share/doc/umnet"
	if (date == "")
		date = "1970-01-01"
}

# --- the page's own metadata -------------------------------------------------
/^<!-- man: / {
	line = $0
	sub(/^<!-- man: /, "", line)
	sub(/ -->$/, "", line)
	if (!match(line, /^[a-z0-9-]+\([1-8]\): /))
		fail("want <!-- man: NAME(SECTION): description -->")
	name = substr(line, 1, index(line, "(") - 1)
	section = substr(line, index(line, "(") + 1, 1)
	desc = substr(line, RLENGTH + 1)
	printf ".\\\" generated by scripts/md2man.awk from %s: edit that, not this\n", FILENAME
	printf ".TH %s %s %s \"umnet %s\" \"umnet manual\"\n", toupper(esc(name, 1)), section, date, version
	# no hyphenation, ragged right: the text is full of names and paths
	req(".nh")
	req(".ad l")
	req(".SH NAME")
	emit(esc(name, 1) " \\- " inl(desc))
	next
}
/^<!-- man-see-also: / {
	seealso = $0
	sub(/^<!-- man-see-also: /, "", seealso)
	sub(/ -->$/, "", seealso)
	next
}
/^<!--/ {
	while ($0 !~ /-->/)
		if ((getline) <= 0)
			fail("a comment is not closed")
	next
}

# --- fenced code -------------------------------------------------------------
/^```/ {
	if (incode) {
		incode = 0
		req(".fi")
		req(".RE")
	} else {
		start_body()
		end_block()
		incode = 1
		req(".PP")
		req(".RS 4")
		req(".nf")
	}
	next
}
incode {
	emit(esc($0, 1))
	next
}

# --- structure ---------------------------------------------------------------
/^# / {
	next
}
/^## / {
	if (name == "")
		fail("no <!-- man: NAME(SECTION): description --> line before the first section")
	end_block()
	started = 1
	req(".SH")
	emit(heading_text(substr($0, 4), 1))
	next
}
/^### / {
	start_body()
	end_block()
	req(".SS")
	emit(heading_text(substr($0, 5), 0))
	next
}
/^[ \t]*$/ {
	end_block()
	next
}
/^\|/ {
	start_body()
	if (!intable) {
		# the header row, then the |---| row
		end_block()
		intable = 1
		ncol = cells($0, head)
		if ((getline sep) <= 0 || sep !~ /^\|[-| :]+\|?[ \t]*$/)
			fail("a table header without a |---| line")
		req(".PP")
		next
	}
	n = cells($0, cell)
	if (n != ncol)
		fail("a table row with " n " cells, the header has " ncol)
	req(".TP")
	emit(inl(cell[1]))
	for (k = 2; k < n; k++) {
		if (cell[k] == "" || cell[k] == "\342\200\224")
			continue
		emit("\\fI" inl(head[k]) "\\fR: " inl(cell[k]))
		req(".br")
	}
	if (n > 1 && cell[n] != "")
		emit(inl(cell[n]))
	next
}
/^- / {
	start_body()
	if (!inlist) {
		end_block()
		inlist = 1
		req(".RS 2")
	}
	flush()
	req(".IP \\(bu 2")
	add(substr($0, 3))
	next
}
{
	start_body()
	line = $0
	if (inlist && line ~ /^  /) {
		add(line)
		next
	}
	if (inlist || intable)
		end_block()
	if (!para) {
		para = 1
		req(".PP")
	}
	add(line)
}

END {
	if (failed)
		exit 1
	if (incode) {
		printf "%s: a code block is not closed\n", FILENAME > "/dev/stderr"
		exit 1
	}
	if (name == "") {
		printf "%s: no <!-- man: NAME(SECTION): description --> line\n", FILENAME > "/dev/stderr"
		exit 1
	}
	end_block()
	if (seealso != "") {
		req(".SH SEE ALSO")
		n = split(seealso, see, /, */)
		for (k = 1; k <= n; k++) {
			if (!match(see[k], /^[A-Za-z0-9._-]+\([1-8][a-z]*\)$/))
				fail("see also: want NAME(SECTION), got \"" see[k] "\"")
			i = index(see[k], "(")
			emit("\\fB" esc(substr(see[k], 1, i - 1), 1) "\\fR" substr(see[k], i) (k < n ? "," : ""))
		}
	}
}
