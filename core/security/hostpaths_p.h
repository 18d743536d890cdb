#pragma once

#include <QString>

namespace bc::security::internal {

// Host paths a box must never see; shared by the create-body check and the posture audit so
// both refuse the same things.
// The Docker/containerd/Podman API socket, or a directory that contains it.
bool isDockerSocketPath(const QString &hostPath);
// CIS 5.6 (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr) plus other host trees whose
// exposure hands over the host (/root, /home, /var/lib/docker, /run, …), and their children.
bool isSensitiveHostPath(const QString &hostPath);
// Both checks look at the path as written and at what it resolves to on this host
// (symlinks followed as far as the path exists).
QString resolvedHostPath(const QString &hostPath);

} // namespace bc::security::internal
