#pragma once

#include "core/error.h"

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace bc {

// A value or an Error. GCC 12 has std::expected only with -std=c++2b, so this is the
// small subset box-console uses; construct from a T (success) or an Error (failure).
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(const T &value) : m_data(std::in_place_index<0>, value) {}
    Result(T &&value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(const Error &error) : m_data(std::in_place_index<1>, error) {}
    Result(Error &&error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T *operator->() const { return &std::get<0>(m_data); }
    const T &operator*() const { return std::get<0>(m_data); }

    const Error &error() const { return std::get<1>(m_data); }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    // Applies f to the value, passing an error through unchanged.
    template <typename F>
    auto map(F &&f) const -> Result<std::invoke_result_t<F, const T &>>
    {
        if (ok())
            return std::forward<F>(f)(value());
        return error();
    }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(const Error &error) : m_error(error) {}
    Result(Error &&error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using VoidResult = Result<void>;

} // namespace bc
