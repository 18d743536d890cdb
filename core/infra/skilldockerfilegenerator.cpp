#include "core/infra/skilldockerfilegenerator.h"

#include "core/security/validators.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

namespace bc::infra {

namespace {

using bc::security::Validators;

Error invalid(const QString &field, const QString &message)
{
    return Error(Error::Kind::Invalid, field + QStringLiteral(": ") + message);
}

bool isSkillName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("\\A[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\z"));
    return re.match(name).hasMatch();
}

QStringList sortedUnique(QStringList list)
{
    list.sort();
    list.removeDuplicates();
    return list;
}

} // namespace

Result<Skill> SkillDockerfileGenerator::readSkill(const QString &directory)
{
    const QFileInfo dirInfo(directory);
    // Whole: a path's tail is what names the skill.
    const QString field = QStringLiteral("skill %1").arg(Validators::printable(directory, 1024));
    if (!dirInfo.isDir())
        return Error(Error::Kind::NotFound, field + QStringLiteral(": not a directory"));
    Skill skill;
    skill.name = QDir(dirInfo.absoluteFilePath()).dirName();
    if (!isSkillName(skill.name))
        return invalid(field,
                       QStringLiteral("directory name must match [A-Za-z0-9][A-Za-z0-9_-]*"));

    // Symlinks could pull files from anywhere on this machine into the build context.
    const QFileInfo md(QDir(dirInfo.absoluteFilePath()).filePath(QStringLiteral("SKILL.md")));
    if (md.isSymLink() || !md.isFile())
        return invalid(field, QStringLiteral("needs a SKILL.md regular file"));
    skill.skillMdPath = md.absoluteFilePath();

    const QFileInfo manifest(
        QDir(dirInfo.absoluteFilePath()).filePath(QStringLiteral("skill.json")));
    if (!manifest.exists())
        return skill;
    if (manifest.isSymLink() || !manifest.isFile())
        return invalid(field, QStringLiteral("skill.json must be a regular file"));
    QFile file(manifest.absoluteFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io, field + QStringLiteral(": cannot read skill.json"));
    const QByteArray text = file.read(1024 * 1024);
    const auto json = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return invalid(field, QStringLiteral("skill.json must be a JSON object"));
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        QStringList *target = key == QLatin1String("apt")   ? &skill.apt
                              : key == QLatin1String("npm") ? &skill.npm
                              : key == QLatin1String("pip") ? &skill.pip
                                                            : nullptr;
        if (key == QLatin1String("description") || key == QLatin1String("comment"))
            continue;
        if (!target)
            return invalid(field + QStringLiteral(": skill.json.") + Validators::printable(key),
                           QStringLiteral("unknown key (apt, npm, pip)"));
        if (!it->is_array())
            return invalid(field + QStringLiteral(": skill.json.") + key,
                           QStringLiteral("must be an array of strings"));
        for (const auto &p : *it) {
            if (!p.is_string())
                return invalid(field + QStringLiteral(": skill.json.") + key,
                               QStringLiteral("must be an array of strings"));
            target->append(QString::fromStdString(p.get<std::string>()));
        }
    }
    return skill;
}

Result<SkillDockerfileGenerator::Output>
SkillDockerfileGenerator::generate(const QList<Skill> &input) const
{
    if (auto v = Validators::validateImageReference(m_options.baseImage); !v)
        return invalid(QStringLiteral("base image"), v.error().message());

    QList<Skill> skills = input;
    std::sort(skills.begin(), skills.end(),
              [](const Skill &a, const Skill &b) { return a.name < b.name; });
    Output out;
    QSet<QString> names;
    for (const Skill &skill : std::as_const(skills)) {
        const QString field = QStringLiteral("skill %1").arg(Validators::printable(skill.name));
        if (!isSkillName(skill.name))
            return invalid(field, QStringLiteral("name must match [A-Za-z0-9][A-Za-z0-9_-]*"));
        if (names.contains(skill.name.toLower()))
            return invalid(field, QStringLiteral("appears twice"));
        names.insert(skill.name.toLower());
        using PM = Validators::PackageManager;
        const QList<QPair<PM, const QStringList *>> lists{
            {PM::Apt, &skill.apt}, {PM::Npm, &skill.npm}, {PM::Pip, &skill.pip}};
        const char *managerNames[] = {"apt", "npm", "pip"};
        for (qsizetype i = 0; i < lists.size(); ++i) {
            for (const QString &pkg : *lists[i].second) {
                if (auto v = Validators::validatePackage(lists[i].first, pkg); !v)
                    return invalid(field + QStringLiteral(": ") + QLatin1String(managerNames[i]),
                                   v.error().message());
            }
        }
        out.apt += skill.apt;
        out.npm += skill.npm;
        out.pip += skill.pip;
        out.files.append({QStringLiteral("skills/%1/SKILL.md").arg(skill.name), skill.skillMdPath});
    }
    out.apt = sortedUnique(out.apt);
    out.npm = sortedUnique(out.npm);
    out.pip = sortedUnique(out.pip);

    // The managers themselves come from Debian, so npm and pip work on any base.
    QStringList apt = out.apt;
    if (!out.npm.isEmpty())
        apt.append(QStringLiteral("npm"));
    if (!out.pip.isEmpty())
        apt.append(QStringLiteral("python3-pip"));
    apt = sortedUnique(apt);

    QStringList names_;
    for (const Skill &skill : std::as_const(skills))
        names_.append(skill.name);
    QString d =
        QStringLiteral("# Generated by box-console from skills: %1. Do not edit.\n")
            .arg(names_.isEmpty() ? QStringLiteral("(none)") : names_.join(QStringLiteral(", ")));
    d += QStringLiteral("FROM %1\n").arg(m_options.baseImage);
    d += QStringLiteral("USER root\n");
    if (!apt.isEmpty())
        d += QStringLiteral("RUN apt-get update \\\n"
                            " && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                            "--no-install-recommends %1 \\\n"
                            " && rm -rf /var/lib/apt/lists/*\n")
                 .arg(apt.join(u' '));
    if (!out.npm.isEmpty())
        d += QStringLiteral("RUN npm install -g --no-fund --no-audit --ignore-scripts %1 \\\n"
                            " && rm -rf /root/.npm\n")
                 .arg(out.npm.join(u' '));
    if (!out.pip.isEmpty())
        // Debian 12 marks the system Python as externally managed (PEP 668).
        d += QStringLiteral("RUN pip3 install --no-cache-dir --break-system-packages %1\n")
                 .arg(out.pip.join(u' '));
    for (const auto &file : std::as_const(out.files))
        d += QStringLiteral("COPY %1 /home/coder/.skills/%2\n")
                 .arg(file.first, file.first.mid(QStringLiteral("skills/").size()));
    d += QStringLiteral("USER 1000:1000\n");
    out.dockerfile = d;
    return out;
}

Result<SkillDockerfileGenerator::Output>
SkillDockerfileGenerator::generateFromDirectories(const QStringList &directories) const
{
    QList<Skill> skills;
    for (const QString &dir : directories) {
        auto skill = readSkill(dir);
        if (!skill)
            return skill.error();
        skills.append(skill.value());
    }
    return generate(skills);
}

} // namespace bc::infra
