#pragma once

#include "core/result.h"

#include <QByteArray>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace bc::docker {

// Splits a byte stream of concatenated JSON values (build/pull progress, events, stats)
// into parsed values. The daemon separates values by "\r\n" or "\n", json-seq streams
// prefix them with RS (0x1E); none of that is relied on: values are found by tracking
// string/escape state and nesting depth over bytes as they arrive, so every byte is
// scanned once and every value parsed once however the stream is chunked.
class JsonStreamDecoder
{
public:
    static constexpr int MaxDepth = 512;

    explicit JsonStreamDecoder(qint64 maxBuffered = 16 * 1024 * 1024);

    // Returns the values completed by this chunk, or a Protocol error (garbage between
    // values, invalid JSON, a partial value larger than maxBuffered). Errors are sticky.
    Result<std::vector<nlohmann::json>> feed(const QByteArray &chunk);

    // True while bytes of an unfinished value are buffered.
    bool hasPartial() const;

    // End of stream: a trailing top-level number/literal is completed (and returned by
    // takeTrailing()); a cut-off object, array or string is a Protocol error.
    Result<void> finish();
    std::vector<nlohmann::json> takeTrailing();

    qint64 bufferedBytes() const { return m_buffer.size(); }

private:
    Result<void> complete(qsizetype end, std::vector<nlohmann::json> &out);
    Result<void> scan(std::vector<nlohmann::json> &out);
    Error fail(const QString &message);

    qint64 m_maxBuffered;
    QByteArray m_buffer;
    qsizetype m_start = 0; // first byte of the current value in m_buffer
    qsizetype m_scan = 0;  // next byte of m_buffer to look at
    bool m_inValue = false;
    bool m_inString = false;
    bool m_escape = false;
    bool m_scalar = false; // a top-level number or literal: ends at a delimiter
    int m_depth = 0;
    std::optional<Error> m_error;
    std::vector<nlohmann::json> m_trailing;
};

} // namespace bc::docker
