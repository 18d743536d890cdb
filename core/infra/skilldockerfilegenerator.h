#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace bc::infra {

// A skill directory: SKILL.md (required) and skill.json {"apt": [], "npm": [], "pip": []}
// (optional) listing the packages the skill needs.
struct Skill
{
    QString name;        // directory name; becomes /home/coder/.skills/<name>/
    QString skillMdPath; // absolute path of SKILL.md on this machine
    QStringList apt, npm, pip;
};

// Turns skills into a box image Dockerfile on top of the box base image. Every package
// name is checked against its manager's grammar (core/security) and refused when it does
// not fit: they end up in RUN lines. The output is deterministic (sorted, deduplicated),
// so the same skills give the same image cache keys.
class SkillDockerfileGenerator
{
public:
    struct Options
    {
        QString baseImage = QStringLiteral("box-console/box-base:latest");
    };

    struct Output
    {
        QString dockerfile;
        // Build context: path inside the context -> file on this machine (sorted).
        QList<QPair<QString, QString>> files;
        QStringList apt, npm, pip; // aggregated
    };

    SkillDockerfileGenerator() = default;
    explicit SkillDockerfileGenerator(Options options)
        : m_options(std::move(options))
    {}

    // Reads one skill directory (local files only; call off the GUI thread).
    static Result<Skill> readSkill(const QString &directory);
    Result<Output> generate(const QList<Skill> &skills) const;
    Result<Output> generateFromDirectories(const QStringList &directories) const;

private:
    Options m_options;
};

} // namespace bc::infra
