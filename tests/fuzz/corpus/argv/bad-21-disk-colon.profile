# expect: 21-disk-colon.profile:4: disk = /tmp/a:/etc/shadow: the path /tmp/a:/etc/shadow contains ':': it goes on the kernel command line (ubd0=)
[appliance]
name = bad21
disk = /tmp/a:/etc/shadow
