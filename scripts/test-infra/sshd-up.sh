#!/usr/bin/env bash
# A private sshd on 127.0.0.1:$SSH_PORT, key-only, for $SSH_USER (docs test-infrastructure.md §2). Run as root.
# Writes into $SSH_DIR (default: a new temp dir): host_ed25519 (host key), client_ed25519 (the user's key, also in
# ~/.ssh/authorized_keys), known_hosts (from ssh-keyscan), sshd_config, sshd.log, sshd.pid.
# Idempotent: if $SSH_DIR/sshd.pid is alive nothing is started and the existing keys are kept.
# Prints SSH_DIR=<dir> as its last line.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/common.sh"
SSH_PORT=${SSH_PORT:-2222}
SSH_USER=${SSH_USER:-astro}
D=${SSH_DIR:-$(mktemp -d /tmp/sshtest.XXXXXX)}
mkdir -p "$D"; chmod 0700 "$D"
if pid_alive "$D/sshd.pid"; then echo "sshd already up"; echo "SSH_DIR=$D"; exit 0; fi
# another listener on the port would answer ssh-keyscan with ITS host key
if (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then echo "port $SSH_PORT is already in use" >&2; exit 1; fi
mkdir -p /run/sshd && chmod 0755 /run/sshd          # privilege-separation dir: root-owned, not group/world-writable
[ -s "$D/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/host_ed25519" -C ci-host
[ -s "$D/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/client_ed25519" -C ci-client
id "$SSH_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$SSH_USER"
usermod -p '*' "$SSH_USER"   # useradd leaves the account locked ('!'), which sshd with UsePAM no rejects
H=$(getent passwd "$SSH_USER" | cut -d: -f6)
install -d -m 0700 -o "$SSH_USER" -g "$SSH_USER" "$H/.ssh"
# append (not replace): other sshd-up runs may have authorized their own keys
touch "$H/.ssh/authorized_keys"
grep -qxF "$(cat "$D/client_ed25519.pub")" "$H/.ssh/authorized_keys" || cat "$D/client_ed25519.pub" >> "$H/.ssh/authorized_keys"
chown "$SSH_USER:$SSH_USER" "$H/.ssh/authorized_keys"; chmod 0600 "$H/.ssh/authorized_keys"
cat > "$D/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $D/host_ed25519
PidFile $D/sshd.daemonpid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
UsePAM no
StrictModes yes
AllowUsers $SSH_USER
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
CONF
/usr/sbin/sshd -t -f "$D/sshd_config"
# -D: stay in the foreground (we keep its PID); -e: log to stderr
setsid /usr/sbin/sshd -D -e -f "$D/sshd_config" > "$D/sshd.log" 2>&1 < /dev/null &
echo $! > "$D/sshd.pid"
rm -f "$D/known_hosts"
for _ in $(seq 50); do
  ssh-keyscan -p "$SSH_PORT" -t ed25519 127.0.0.1 > "$D/known_hosts.tmp" 2>/dev/null && [ -s "$D/known_hosts.tmp" ] && break
  sleep 0.1
done
[ -s "$D/known_hosts.tmp" ] || { echo "sshd did not come up; log:" >&2; cat "$D/sshd.log" >&2; exit 1; }
alive "$(cat "$D/sshd.pid")" || { echo "sshd exited; log:" >&2; cat "$D/sshd.log" >&2; exit 1; }
mv "$D/known_hosts.tmp" "$D/known_hosts"
echo "sshd up: 127.0.0.1:$SSH_PORT user $SSH_USER"
echo "SSH_DIR=$D"
