#!/bin/sh
# Opens a Shine TV wall full screen once Shine is ready, for a TV's computer (a Raspberry Pi, a
# mini PC) that powers on unattended, perhaps before Shine does after a power cut.
#
# Why: a browser opened while the server is down lands on its own error page ("This site can't be
# reached"), which knows nothing of Shine and may never try again: the wall's own reconnecting only
# runs once its page has loaded. So this waits until GET /readyz answers 200 (the process is up and
# its storage reachable), then starts the browser in kiosk mode. Run it from a service manager that
# starts it again when the browser exits (docs/web.md has a systemd unit), so a crash or a kill
# comes back the same way.
#
#   SHINE_URL=http://shine.office:3000 SHINE_DISPLAY_TOKEN=shd_… scripts/tv-kiosk.sh
#
# SHINE_URL             Shine's address as the TV reaches it (required)
# SHINE_DISPLAY_TOKEN   the display token from HR → TV displays; may be left out once the wall has
#                       opened with it, since the wall remembers it in the browser profile below
# SHINE_KIOSK_BROWSER   the browser command (default: chromium, else chromium-browser)
# SHINE_KIOSK_PROFILE   the browser profile directory, kept between starts (default: ~/.shine-kiosk)
# SHINE_KIOSK_RETRY     seconds between checks while Shine is not ready (default: 5)
#
# Needs curl. The token is on the browser's command line, visible to local users of the TV's
# computer; leave SHINE_DISPLAY_TOKEN out after the first start if that matters.
set -u

base=${SHINE_URL:?set SHINE_URL to Shine\'s address, e.g. http://shine.office:3000}
base=${base%/}
retry=${SHINE_KIOSK_RETRY:-5}
profile=${SHINE_KIOSK_PROFILE:-$HOME/.shine-kiosk}
browser=${SHINE_KIOSK_BROWSER:-}
if [ -z "$browser" ]; then
  if command -v chromium >/dev/null 2>&1; then browser=chromium; else browser=chromium-browser; fi
fi

url="$base/display"
if [ -n "${SHINE_DISPLAY_TOKEN:-}" ]; then url="$url?token=$SHINE_DISPLAY_TOKEN"; fi

# 200 only: 503 means storage is away or the server is draining for a deploy.
until curl --silent --fail --output /dev/null --max-time 5 "$base/readyz"; do
  echo "tv-kiosk: $base/readyz is not ready yet; checking again in ${retry}s" >&2
  sleep "$retry"
done
echo "tv-kiosk: Shine is ready; opening $base/display" >&2

# --kiosk: full screen, no address bar or way out. --noerrdialogs, --disable-session-crashed-bubble
# and --hide-crash-restore-bubble: no "restore pages?" or error prompt after a power cut (the
# browser ignores the flags it does not know, old or new). --no-first-run: no welcome tab.
# --check-for-update-interval: no update nag on a screen nobody clicks. A profile of its own keeps
# the remembered token and none of a person's browsing.
exec "$browser" --kiosk --noerrdialogs --disable-session-crashed-bubble --hide-crash-restore-bubble \
  --disable-infobars --no-first-run --check-for-update-interval=31536000 \
  --user-data-dir="$profile" "$url"
