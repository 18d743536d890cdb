#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace bc::docker {

// What `POST /build` needs. The context directory is packed client-side (with
// .dockerignore honoured) off the GUI thread.
struct BuildOptions
{
    QString contextDir;
    QString dockerfile;               // relative to contextDir or absolute; empty = Dockerfile
    QStringList tags;                 // t=… (repeated)
    QMap<QString, QString> buildArgs; // buildargs JSON
    QMap<QString, QString> labels;    // labels JSON
    bool noCache = false;
    bool pull = false; // never by default: no registry may be reachable
    bool rm = true;    // remove intermediate containers
    bool forceRm = true;   // also after a failed step: a console must not leave "Created" litter
};

} // namespace bc::docker
