#!/bin/sh
# CGI for busybox httpd (/srv/www/cgi-bin/whoami): tells the client which
# address the server saw it come from, so a test can tell whether the
# firewall translated the source (masquerade) or kept it (DNAT).
# httpd listens on an IPv6 socket: REMOTE_ADDR is "[::ffff:10.20.0.2]".
addr=${REMOTE_ADDR#[}
addr=${addr%]}
addr=${addr#::ffff:}
printf 'Content-Type: text/plain\r\n\r\n'
printf 'server=%s remote=%s;\n' "$(hostname)" "$addr"
