#pragma once

#include <QString>
#include <QStringList>

namespace bc::docker {

// What `POST /containers/{id}/exec` runs, and how it is attached.
struct ExecOptions
{
    QStringList cmd;    // argv; passed to the box's /bin/sh only as "$@" (see endOnClose)
    QStringList env;    // "K=V"
    QString user;       // "1000:1000", "name"; empty = the container's Config.User
    QString workingDir; // empty = the container's WorkingDir
    bool tty = false;   // a pseudo-terminal: one raw stream, resize, hang-up on close
    bool attachStdin = false;
    // Start the command through the box's /bin/sh so that the session learns its pid and
    // can end it (and its session) when closed; boxes without /bin/sh run it as is.
    bool endOnClose = true;
    int cols = 0; // initial terminal size (tty only; 0 = engine default)
    int rows = 0;
};

} // namespace bc::docker
