#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

class QIODevice;

namespace bc::ui {

// The lines of a followed log in a compact, bounded store: UTF-8 text packed into chunks
// of a few MiB with one offset per line (about 5 bytes of overhead a line, against ~100
// for a QString in a list), so that a box printing 20,000 lines a second for minutes fits
// and stays searchable. When the cap is reached the oldest chunk goes as a whole and
// droppedLines() grows: the view shows that as a marker instead of losing lines silently.
//
// Lines carry sequence numbers counted from the first line ever appended (dropped ones
// included). Appending and reading happen on one thread (the GUI's); snapshot() hands
// immutable chunks to other threads for search and saving while appending goes on.
class LogStore
{
public:
    // The stated cap: whichever is reached first.
    static constexpr qint64 DefaultMaxLines = 2'000'000;
    static constexpr qint64 DefaultMaxBytes = 192LL * 1024 * 1024;

    struct Chunk
    {
        qint64 firstSeq = 0;
        QByteArray text;                // every line followed by '\n'
        std::vector<quint32> starts;    // offset of each line in text
        std::vector<quint8> stderrFlag; // 1 for stderr lines
        bool ascii = true;              // no byte >= 0x80: the search may run bytewise

        qint64 lineCount() const { return qint64(starts.size()); }
        QByteArrayView line(qint64 index) const; // without the '\n'
    };
    using ChunkPtr = std::shared_ptr<const Chunk>;

    // What snapshot() returns: the chunks as they were, safe to read on any thread.
    struct Snapshot
    {
        std::vector<ChunkPtr> chunks;
        qint64 droppedLines = 0;
        qint64 lineCount() const;
    };

    struct SearchResult
    {
        std::vector<qint64> hits; // sequence numbers of matching lines, ascending
        QString error;            // an invalid regular expression
        qint64 searchedLines = 0;
    };

    LogStore();
    ~LogStore();

    void setLimits(qint64 maxLines, qint64 maxBytes);
    qint64 maxLines() const { return m_maxLines; }
    qint64 maxBytes() const { return m_maxBytes; }

    // Raw stream text: split into lines, a partial last line kept (per stream) until its
    // end arrives. A trailing '\r' is dropped; invalid UTF-8 is replaced.
    void append(QByteArrayView text, bool stderrStream = false);
    void appendLine(QByteArrayView line, bool stderrStream = false);
    void clear();

    // Lines kept: [firstSeq(), endSeq()).
    qint64 firstSeq() const { return m_dropped; }
    qint64 endSeq() const { return m_end; }
    qint64 lineCount() const { return m_end - m_dropped; }
    qint64 droppedLines() const { return m_dropped; }
    qint64 textBytes() const { return m_bytes; }
    bool contains(qint64 seq) const { return seq >= m_dropped && seq < m_end; }
    QByteArrayView line(qint64 seq) const; // empty when not kept
    bool isStderr(qint64 seq) const;

    // Seals the chunk being filled, so that everything appended so far is shared.
    Snapshot snapshot();

    // Lines that match, plain text (case-insensitive) or a regular expression (PCRE2, case-
    // insensitive unless the pattern says (?-i)). Runs on any thread.
    static SearchResult search(const Snapshot &snapshot, const QString &pattern, bool regex);
    // Writes the snapshot's lines (with a first line naming dropped lines, if any) chunk by
    // chunk; false with the device's error on failure.
    static bool write(const Snapshot &snapshot, QIODevice *device, QString *error = nullptr);

private:
    Chunk &openChunk();
    void seal();
    void enforceLimits();
    const Chunk *chunkFor(qint64 seq, qint64 *index) const;

    std::deque<std::shared_ptr<Chunk>> m_chunks; // the last one may still be filling
    bool m_lastOpen = false;
    QByteArray m_partial[2];
    qint64 m_dropped = 0;
    qint64 m_end = 0;
    qint64 m_bytes = 0;
    qint64 m_maxLines = DefaultMaxLines;
    qint64 m_maxBytes = DefaultMaxBytes;
};

} // namespace bc::ui
