#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QTableView;

namespace bc::http {
struct Endpoint;
}
namespace bc::boxes {
class ConsoleSettings;
}

namespace bc::ui {

class EndpointModel;

// The settings' Docker engines: the docker CLI's contexts (read off the GUI thread;
// contextsLoaded() tells when the list is complete) to tick, plus added engine URLs, each
// tested when added. Until the user changes something the stored choice, following the
// docker CLI included, stays as it is.
class DockerEnginesBox final : public QGroupBox
{
    Q_OBJECT
public:
    explicit DockerEnginesBox(QWidget *parent = nullptr);

    // Shows what `settings` holds; store() writes to the same object, which must outlive
    // this box. The selection is stored only when the user changed it.
    void load(boxes::ConsoleSettings *settings);
    void store();

    EndpointModel *endpoints() const { return m_endpoints; }
    QTableView *endpointView() const { return m_endpointView; }
    QLineEdit *newEndpointEdit() const { return m_newEndpoint; }
    QLabel *endpointErrorLabel() const { return m_endpointError; }
    bool contextsLoaded() const { return m_contextsLoaded; }
    // Validates `url` and adds it, or shows why not (and returns the same text in `error`).
    bool addEndpoint(const QString &url, QString *error = nullptr);
    // Removes the added endpoint in `row`, or shows why a context row cannot be removed.
    bool removeEndpoint(int row);

signals:
    // An added engine answered (or not); the Source column says which.
    void endpointTested(const QString &url, bool reachable);

private:
    void testEndpoint(const QString &url, const http::Endpoint &endpoint);
    void updateHint();

    boxes::ConsoleSettings *m_settings = nullptr;
    EndpointModel *m_endpoints;
    QTableView *m_endpointView;
    QLabel *m_endpointHint;
    QLineEdit *m_newEndpoint;
    QLabel *m_endpointError;
    QString m_currentContext;
    bool m_contextsLoaded = false;
    bool m_touched = false;
    bool m_settingUp = false;
};

} // namespace bc::ui
