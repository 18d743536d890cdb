#include "ui/mainwindow.h"

namespace bc::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Box Console"));
}

} // namespace bc::ui
