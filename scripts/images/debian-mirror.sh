# Sourced by the image scripts: detect_mirror [archive] prints the Debian mirror this machine's
# apt already uses (works behind proxies and local mirrors): only enabled sources lines of
# *.list/*.sources files, only Debian archives (not vendor repositories). Prints nothing when
# there is none; never fails (the scripts run with errexit and pipefail).
detect_mirror() { # [archive name, default debian]
  local archive="${1:-debian}" files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]})) || return 0
  { grep -hE '^[[:space:]]*(URIs:|deb )' "${files[@]}" || true; } | grep -oE 'https?://[^ ]+' | { grep -E "/$archive/?\$" || true; } | head -n 1
}
