#include "ui/logstore.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <QCoreApplication>
#include <QIODevice>
#include <QStringDecoder>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <thread>

namespace bc::ui {

namespace {

bool isAscii(QByteArrayView s)
{
    const auto *p = reinterpret_cast<const uchar *>(s.data());
    const auto *e = p + s.size();
    // Eight bytes at a time: logs are long runs of ASCII.
    for (; e - p >= 8; p += 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ULL)
            return false;
    }
    for (; p < e; ++p)
        if (*p & 0x80)
            return false;
    return true;
}

// One compiled pattern; freed with it.
struct Pattern
{
    pcre2_code *code = nullptr;
    ~Pattern()
    {
        if (code)
            pcre2_code_free(code);
    }
};

QString compileError(int code, PCRE2_SIZE offset)
{
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    // LogStore is no QObject: the search box shows this under the catalogue's context
    // "LogStore".
    return QCoreApplication::translate("LogStore", "%1 (at character %2)")
        .arg(QString::fromUtf8(reinterpret_cast<const char *>(buffer)))
        .arg(offset);
}

} // namespace

QByteArrayView LogStore::Chunk::line(qint64 index) const
{
    const qsizetype from = starts[size_t(index)];
    const qsizetype to =
        index + 1 < lineCount() ? qsizetype(starts[size_t(index + 1)]) : text.size();
    return QByteArrayView(text.constData() + from, to - from - 1);
}

qint64 LogStore::Snapshot::lineCount() const
{
    qint64 n = 0;
    for (const ChunkPtr &c : chunks)
        n += c->lineCount();
    return n;
}

LogStore::LogStore() = default;
LogStore::~LogStore() = default;

void LogStore::setLimits(qint64 maxLines, qint64 maxBytes)
{
    m_maxLines = std::max<qint64>(maxLines, 16);
    m_maxBytes = std::max<qint64>(maxBytes, 4096);
    enforceLimits();
}

void LogStore::append(QByteArrayView text, bool stderrStream)
{
    QByteArray &partial = m_partial[stderrStream ? 1 : 0];
    qsizetype from = 0;
    while (from < text.size()) {
        const auto *nl = static_cast<const char *>(
            std::memchr(text.data() + from, '\n', size_t(text.size() - from)));
        if (!nl) {
            partial.append(text.data() + from, text.size() - from);
            break;
        }
        const qsizetype end = nl - text.data();
        if (partial.isEmpty()) {
            appendLine(text.sliced(from, end - from), stderrStream);
        } else {
            partial.append(text.data() + from, end - from);
            appendLine(partial, stderrStream);
            partial.clear();
        }
        from = end + 1;
    }
}

LogStore::Chunk &LogStore::openChunk()
{
    if (!m_lastOpen) {
        auto chunk = std::make_shared<Chunk>();
        chunk->firstSeq = m_end;
        m_chunks.push_back(std::move(chunk));
        m_lastOpen = true;
    }
    return *m_chunks.back();
}

void LogStore::seal()
{
    if (m_lastOpen) {
        Chunk &c = *m_chunks.back();
        c.text.squeeze();
        c.starts.shrink_to_fit();
        c.stderrFlag.shrink_to_fit();
    }
    m_lastOpen = false;
}

void LogStore::appendLine(QByteArrayView line, bool stderrStream)
{
    if (line.endsWith('\r'))
        line.chop(1);
    QByteArray repaired;
    const bool ascii = isAscii(line);
    if (!ascii) {
        // The regular-expression search skips UTF-8 checks on stored text: keep it valid.
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString decoded = decoder.decode(line);
        if (decoder.hasError()) {
            repaired = decoded.toUtf8();
            line = repaired;
        }
    }
    Chunk &c = openChunk();
    if (c.text.isEmpty())
        c.text.reserve(qsizetype(std::min<qint64>(4 * 1024 * 1024, m_maxBytes / 16 + 1024)));
    c.starts.push_back(quint32(c.text.size()));
    c.stderrFlag.push_back(stderrStream ? 1 : 0);
    c.text.append(line.data(), line.size());
    c.text.append('\n');
    c.ascii = c.ascii && ascii;
    ++m_end;
    m_bytes += line.size() + 1;
    // Chunks small against the cap, so that dropping one loses a sliver of the log.
    const qint64 chunkLines = std::clamp<qint64>(m_maxLines / 32, 16, 32768);
    const qint64 chunkBytes = std::clamp<qint64>(m_maxBytes / 32, 4096, 4 * 1024 * 1024);
    if (c.lineCount() >= chunkLines || c.text.size() >= chunkBytes)
        seal();
    if (lineCount() > m_maxLines || m_bytes > m_maxBytes)
        enforceLimits();
}

void LogStore::enforceLimits()
{
    while (m_chunks.size() > 1 && (lineCount() > m_maxLines || m_bytes > m_maxBytes)) {
        const Chunk &c = *m_chunks.front();
        m_dropped += c.lineCount();
        m_bytes -= c.text.size();
        m_chunks.pop_front();
    }
}

void LogStore::clear()
{
    m_chunks.clear();
    m_lastOpen = false;
    m_partial[0].clear();
    m_partial[1].clear();
    m_dropped = m_end = m_bytes = 0;
}

const LogStore::Chunk *LogStore::chunkFor(qint64 seq, qint64 *index) const
{
    if (!contains(seq))
        return nullptr;
    auto it =
        std::upper_bound(m_chunks.begin(), m_chunks.end(), seq,
                         [](qint64 s, const std::shared_ptr<Chunk> &c) { return s < c->firstSeq; });
    const Chunk *c = (*(it - 1)).get();
    *index = seq - c->firstSeq;
    return c;
}

QByteArrayView LogStore::line(qint64 seq) const
{
    qint64 index = 0;
    const Chunk *c = chunkFor(seq, &index);
    return c ? c->line(index) : QByteArrayView();
}

bool LogStore::isStderr(qint64 seq) const
{
    qint64 index = 0;
    const Chunk *c = chunkFor(seq, &index);
    return c && c->stderrFlag[size_t(index)] != 0;
}

LogStore::Snapshot LogStore::snapshot()
{
    seal();
    Snapshot s;
    s.droppedLines = m_dropped;
    s.chunks.reserve(m_chunks.size());
    for (const auto &c : m_chunks)
        s.chunks.push_back(c);
    return s;
}

namespace {

LogStore::SearchResult searchChunks(const LogStore::ChunkPtr *begin, const LogStore::ChunkPtr *end,
                                    const QString &pattern, bool regex)
{
    using ChunkPtr = LogStore::ChunkPtr;
    LogStore::SearchResult result;
    QByteArray utf8 = pattern.toUtf8();
    if (!regex) {
        // Plain text as a pattern: every ASCII punctuation character escaped.
        QByteArray escaped;
        escaped.reserve(utf8.size() * 2);
        for (const char c : std::as_const(utf8)) {
            const auto u = uchar(c);
            if (u < 0x80 && !std::isalnum(u))
                escaped += '\\';
            escaped += c;
        }
        utf8 = escaped;
    }
    const uint32_t base = PCRE2_CASELESS | PCRE2_MULTILINE;
    // Bytewise matching is several times faster than UTF mode and means the same on pure
    // ASCII text with an ASCII pattern; other chunks are matched as UTF-8.
    Pattern bytewise, unicode;
    auto compile = [&](Pattern &p, uint32_t options) {
        if (p.code || !result.error.isEmpty())
            return p.code;
        int code = 0;
        PCRE2_SIZE offset = 0;
        p.code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(utf8.constData()), size_t(utf8.size()),
                               options, &code, &offset, nullptr);
        if (!p.code) {
            result.error = compileError(code, offset);
            return p.code;
        }
        pcre2_jit_compile(p.code, PCRE2_JIT_COMPLETE); // without JIT it is slower, not wrong
        return p.code;
    };
    const bool asciiPattern = isAscii(utf8);
    pcre2_match_data *match = nullptr;
    for (const ChunkPtr *it = begin; it != end; ++it) {
        const ChunkPtr &chunk = *it;
        const bool utf = !(asciiPattern && chunk->ascii);
        pcre2_code *code =
            utf ? compile(unicode, base | PCRE2_UTF | PCRE2_UCP) : compile(bytewise, base);
        if (!code)
            break;
        if (!match)
            match = pcre2_match_data_create(1, nullptr);
        const auto *text = reinterpret_cast<PCRE2_SPTR>(chunk->text.constData());
        const size_t length = size_t(chunk->text.size());
        size_t offset = 0;
        while (offset < length) {
            const int rc = pcre2_match(code, text, length, offset, utf ? PCRE2_NO_UTF_CHECK : 0,
                                       match, nullptr);
            if (rc < 0)
                break; // no (further) match, or a match limit: the rest of this chunk
            const size_t at = pcre2_get_ovector_pointer(match)[0];
            const auto line =
                std::upper_bound(chunk->starts.begin(), chunk->starts.end(), quint32(at)) - 1;
            const qint64 index = line - chunk->starts.begin();
            result.hits.push_back(chunk->firstSeq + index);
            offset =
                index + 1 < chunk->lineCount() ? size_t(chunk->starts[size_t(index + 1)]) : length;
        }
        result.searchedLines += chunk->lineCount();
    }
    if (match)
        pcre2_match_data_free(match);
    if (!result.error.isEmpty())
        result.hits.clear();
    return result;
}

} // namespace

LogStore::SearchResult LogStore::search(const Snapshot &snapshot, const QString &pattern,
                                        bool regex)
{
    const ChunkPtr *begin = snapshot.chunks.data();
    const ChunkPtr *end = begin + snapshot.chunks.size();
    const qint64 lines = snapshot.lineCount();
    // A large log is split by lines between a few threads of its own (not the shared pool,
    // which the caller may be running on); the parts' hits stay in order.
    const int parts = int(std::clamp<qint64>(
        std::min<qint64>(std::thread::hardware_concurrency(), lines / 100'000), 1, 4));
    if (parts <= 1 || snapshot.chunks.size() < 2)
        return searchChunks(begin, end, pattern, regex);
    std::vector<const ChunkPtr *> cuts{begin};
    qint64 counted = 0;
    for (const ChunkPtr *it = begin; it != end; ++it) {
        counted += (*it)->lineCount();
        if (counted >= lines * qint64(cuts.size()) / parts && int(cuts.size()) < parts &&
            it + 1 != end)
            cuts.push_back(it + 1);
    }
    cuts.push_back(end);
    std::vector<SearchResult> results(cuts.size() - 1);
    std::vector<std::thread> threads;
    for (size_t i = 1; i + 1 < cuts.size(); ++i)
        threads.emplace_back(
            [&, i] { results[i] = searchChunks(cuts[i], cuts[i + 1], pattern, regex); });
    results[0] = searchChunks(cuts[0], cuts[1], pattern, regex);
    for (std::thread &t : threads)
        t.join();
    SearchResult merged;
    for (SearchResult &r : results) {
        if (!r.error.isEmpty() && merged.error.isEmpty())
            merged.error = r.error;
        merged.hits.insert(merged.hits.end(), r.hits.begin(), r.hits.end());
        merged.searchedLines += r.searchedLines;
    }
    if (!merged.error.isEmpty())
        merged.hits.clear();
    return merged;
}

bool LogStore::write(const Snapshot &snapshot, QIODevice *device, QString *error)
{
    auto fail = [&] {
        if (error)
            *error = device->errorString();
        return false;
    };
    if (snapshot.droppedLines > 0 &&
        device->write("[" + QByteArray::number(snapshot.droppedLines) +
                      " older lines were dropped by the viewer's memory cap]\n") < 0)
        return fail();
    for (const ChunkPtr &chunk : snapshot.chunks)
        if (device->write(chunk->text) != chunk->text.size())
            return fail();
    return true;
}

} // namespace bc::ui
