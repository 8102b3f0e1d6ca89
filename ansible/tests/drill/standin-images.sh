#!/bin/bash
# Runs ON an app host (copied there by deploy-drill.sh): builds stand-in service images
# (busybox httpd answering /healthz, /readyz and /version with $APP_VERSION) and pushes v1 and
# v2 of catalog and orders to the lab registry given as $1. Needs Docker logged in to it.
set -euo pipefail
reg=$1
apt-get install -y -q busybox-static >/dev/null
rm -rf /tmp/standin && mkdir -p /tmp/standin/bin && cp /bin/busybox /tmp/standin/bin/busybox
cat > /tmp/standin/serve <<'SH'
/bin/busybox mkdir -p /www/api
echo ok > /www/healthz
echo ok > /www/readyz
echo "{\"service\":\"$SVC\",\"version\":\"$APP_VERSION\"}" > /www/version
exec /bin/busybox httpd -f -p 3000 -h /www
SH
for v in v1 v2; do
  for s in catalog orders; do
    tar -C /tmp/standin -c . | docker import \
      --change 'ENTRYPOINT ["/bin/busybox"]' \
      --change "ENV SVC=$s" \
      --change 'CMD ["sh", "/serve"]' - "$reg/cicd-lab/$s:$v" >/dev/null
    docker push -q "$reg/cicd-lab/$s:$v"
  done
done
