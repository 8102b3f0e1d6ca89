#!/bin/sh
# Runs Debian's JMeter 2.13 (apt: jmeter jmeter-http) through DebianJMeterLauncher, which lets it
# load .jmx plans (see the comment in DebianJMeterLauncher.java). For the test suite on Debian:
#   LAB_JMETER=jmeter/launcher/jmeter-debian.sh lab loadtest ...
# Arguments pass through to JMeter unchanged. The launcher is compiled with javac on first use
# into .cache/jmeter-launcher/<hash of the source>/ and reused until the source changes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
home=${JMETER_HOME:-/usr/share/jmeter}
src="$here/DebianJMeterLauncher.java"
cache=${LAB_JMETER_LAUNCHER_CACHE:-$root/.cache/jmeter-launcher}

if [ ! -f "$home/bin/ApacheJMeter.jar" ]; then
  echo "jmeter-debian.sh: $home/bin/ApacheJMeter.jar not found; install Debian's JMeter: apt-get install jmeter jmeter-http" >&2
  exit 4
fi
for tool in java javac sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "jmeter-debian.sh: $tool not found; apt-get install default-jdk-headless" >&2
    exit 4
  fi
done

# The class path: JMeter's launcher jar (its manifest lists Debian's shared jars), the core jars
# in lib/ and the JMeter components in lib/ext/.
cp="$home/bin/ApacheJMeter.jar:$home/lib/*:$home/lib/ext/*"

hash=$(sha256sum "$src" | cut -c1-16)
classes="$cache/$hash"
if [ ! -f "$classes/DebianJMeterLauncher.class" ]; then
  mkdir -p "$cache"
  # Compile into a private folder and rename it into place: parallel test runs never see a
  # half-written class, and the loser of a race just drops its copy.
  tmp=$(mktemp -d "$cache/build.XXXXXX")
  if ! javac -nowarn -d "$tmp" -cp "$cp" "$src" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    echo "jmeter-debian.sh: could not compile $src" >&2
    exit 3
  fi
  rm -f "$tmp.log"
  mv -T "$tmp" "$classes" 2>/dev/null || rm -rf "$tmp"
fi

exec java ${LAB_JMETER_JAVA_OPTS:--Xms128m -Xmx512m} -Djmeter.home="$home" \
  -cp "$classes:$cp" DebianJMeterLauncher "$@"
