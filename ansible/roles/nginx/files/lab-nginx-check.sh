#!/bin/sh
# Managed by Ansible (nginx role). Validates one candidate file of the nginx configuration in
# its real context: copies the configuration tree to a scratch folder, puts the candidate at
# its place, and runs `nginx -t` on the copy. Lets Ansible's `validate:` check snippets that
# are not a main configuration on their own.
#   usage: lab-nginx-check CONF_DIR RELATIVE_PATH CANDIDATE
set -eu
if [ "$#" -ne 3 ]; then
  echo "usage: lab-nginx-check CONF_DIR RELATIVE_PATH CANDIDATE" >&2
  exit 2
fi
conf_dir=$1
rel=$2
candidate=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lab-nginx-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
cp -a "$conf_dir/." "$scratch/"
mkdir -p "$scratch/$(dirname "$rel")"
cp "$candidate" "$scratch/$rel"
nginx -t -q -p "$scratch/" -c "$scratch/nginx.conf"
