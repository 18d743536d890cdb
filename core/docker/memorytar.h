#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace bc::docker {

// A small uncompressed tar built in memory, for PUT /containers/{id}/archive: the content
// (box secrets) never touches the disk of the machine that builds it. Regular files only,
// with the given owner and mode; names longer than ustar's 100 bytes get PAX headers.
class MemoryTar
{
public:
    struct File
    {
        QString name; // relative, no ".." or leading '/'
        QByteArray data;
        int mode = 0400;
        int uid = 0;
        int gid = 0;
    };

    // Errors (Io: libarchive missing; Invalid: a bad name) never contain file data.
    static Result<QByteArray> pack(const QList<File> &files);
};

} // namespace bc::docker
