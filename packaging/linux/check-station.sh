#!/bin/sh
# Check that a Linux candidate station is locked down as docs/deploy.md describes.
# Prints one line per check; exits 1 if any check fails.
fail=0
check() { # name, command...
    name=$1; shift
    if "$@" >/dev/null 2>&1; then echo "ok    $name"; else echo "FAIL  $name"; fail=1; fi
}
check "kiosk user cbt-kiosk exists" id cbt-kiosk
check "kiosk user has no sudo" sh -c '! id -nG cbt-kiosk | grep -qw -e sudo -e wheel -e adm'
check "kiosk service enabled" systemctl is-enabled cbt-station-kiosk.service
check "kiosk service running" systemctl is-active cbt-station-kiosk.service
check "no getty on tty1" sh -c '! systemctl is-active getty@tty1.service'
check "SysRq disabled" sh -c 'test "$(cat /proc/sys/kernel/sysrq)" = 0'
check "no other login sessions" sh -c 'test "$(loginctl list-sessions --no-legend | grep -vc cbt-kiosk)" = 0'
check "no spare virtual terminals" sh -c 'grep -q "^NAutoVTs=0" /etc/systemd/logind.conf.d/*.conf'
check "station config present" test -r /etc/cbt-station/station.toml
check "one screen connected" sh -c 'test "$(cat /sys/class/drm/*/status 2>/dev/null | grep -c ^connected)" = 1'
exit $fail
