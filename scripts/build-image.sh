#!/usr/bin/env bash
# Builds the testdata-server image without any container registry: a Debian bookworm base made
# by debootstrap (from Debian's package mirror), the release binaries copied in, the same
# user, ports, entrypoint and health check as the Dockerfile. Needs root and
# apt-get install buildah debootstrap (podman to run it).
#
#   scripts/build-image.sh [TAG]            # default testdata-server:0.1.0
#   PROFILE=debug scripts/build-image.sh    # copy target/debug binaries (no release build)
#   podman run --rm -p 9091:9091 -p 8091:8091 testdata-server:0.1.0
#
# On this project's build machines podman runs it only with runc and cgroupfs and without
# default ulimits (crun refuses: RLIMIT_NOFILE not permitted, hybrid cgroups):
#   printf '[containers]\ndefault_ulimits = []\n' > /tmp/containers.conf
#   CONTAINERS_CONF=/tmp/containers.conf podman --runtime=runc --cgroup-manager=cgroupfs run ...
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILDAH_FORMAT=docker # HEALTHCHECK exists only in the docker image format
tag=${1:-testdata-server:0.1.0}
base_dir=$PWD/target/image/rootfs
mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/* *$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}

for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tool"
done
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -p testdata-server --bins
fi

if [ ! -e "$base_dir/etc/debian_version" ]; then
  rm -rf "$base_dir"
  # minbase: libc, CA certificates for the LLM providers; nothing else is needed at run time.
  debootstrap --variant=minbase --include=ca-certificates bookworm "$base_dir" "$mirror"
  rm -rf "$base_dir"/var/cache/apt/archives/*.deb "$base_dir"/var/lib/apt/lists/*
fi

container=$(buildah from scratch)
trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
mount=$(buildah mount "$container")
cp -a "$base_dir"/. "$mount"/
install -s -m 0755 "target/$profile/testdata-server" "target/$profile/testdata" "$mount"/usr/local/bin/
# The non-root user, written directly (no `buildah run`: it needs a working OCI runtime).
echo 'testdata:x:10001:10001::/nonexistent:/usr/sbin/nologin' >> "$mount"/etc/passwd
echo 'testdata:x:10001:' >> "$mount"/etc/group
buildah umount "$container" >/dev/null
buildah config \
  --user 10001:10001 \
  --port 9091 --port 8091 \
  --env HOST=0.0.0.0 --env GRPC_PORT=9091 --env HTTP_PORT=8091 --env LOG_FORMAT=json \
  --healthcheck 'CMD /usr/local/bin/testdata health --addr 127.0.0.1:8091' \
  --healthcheck-interval 10s --healthcheck-timeout 3s --healthcheck-start-period 5s --healthcheck-retries 3 \
  --entrypoint '["/usr/local/bin/testdata-server"]' --cmd '[]' \
  --label org.opencontainers.image.title=testdata-server \
  "$container"
buildah commit --format docker "$container" "$tag"
echo "built $tag"
