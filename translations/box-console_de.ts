<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>LogStore</name>
    <message>
        <source>%1 (at character %2)</source>
        <translation>%1 (bei Zeichen %2)</translation>
    </message>
</context>
<context>
    <name>bc::ui::AccessibleNamer</name>
    <message>
        <source>Select all rows</source>
        <translation>Alle Zeilen auswählen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Scroll tabs right</source>
        <translation>Tabs nach rechts blättern</translation>
    </message>
    <message>
        <source>Scroll tabs left</source>
        <translation>Tabs nach links blättern</translation>
    </message>
    <message>
        <source>More toolbar actions</source>
        <translation>Weitere Aktionen der Werkzeugleiste</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>Weitere Menüs</translation>
    </message>
</context>
<context>
    <name>bc::ui::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Box</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>bc::ui::ActivityView</name>
    <message>
        <source>Box</source>
        <translation>Box</translation>
    </message>
    <message>
        <source>Filter by box</source>
        <translation>Nach Box filtern</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Filter by actor</source>
        <translation>Nach Akteur filtern</translation>
    </message>
    <message>
        <source>Filter by action</source>
        <translation>Nach Aktion filtern</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebiger Zeitraum</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <source>1 record</source>
        <translation>1 Eintrag</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>%1 Einträge</translation>
    </message>
</context>
<context>
    <name>bc::ui::AlertBanner</name>
    <message>
        <source>Latest alert</source>
        <translation>Letzter Alarm</translation>
    </message>
    <message>
        <source>All alerts…</source>
        <translation>Alle Alarme…</translation>
    </message>
    <message>
        <source>Open the alert history (Ctrl+Shift+H)</source>
        <translation>Alarmverlauf öffnen (Strg+Umschalt+H)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message numerus="yes">
        <source>(+%n earlier)</source>
        <translation>
            <numerusform>(+%n früherer)</numerusform>
            <numerusform>(+%n frühere)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bc::ui::AlertCenter</name>
    <message>
        <source>is unhealthy: its health check fails — on %1</source>
        <translation>ist ungesund: ihr Health-Check schlägt fehl — auf %1</translation>
    </message>
    <message>
        <source>was killed: out of memory (the memory limit was reached) — on %1</source>
        <translation>wurde zwangsbeendet: Speicher erschöpft (das Speicherlimit wurde erreicht) — auf %1</translation>
    </message>
    <message>
        <source>stopped (by %1) — on %2</source>
        <translation>gestoppt (von %1) — auf %2</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>%1 — on %2</source>
        <translation>%1 — auf %2</translation>
    </message>
    <message>
        <source>1 box</source>
        <translation>1 Box</translation>
    </message>
    <message>
        <source>%1 boxes</source>
        <translation>%1 Boxen</translation>
    </message>
    <message>
        <source>%1 unhealthy</source>
        <translation>%1 ungesund</translation>
    </message>
    <message>
        <source>%1 killed: out of memory</source>
        <translation>%1 zwangsbeendet: Speicher erschöpft</translation>
    </message>
    <message>
        <source>%1 killed</source>
        <translation>%1 zwangsbeendet</translation>
    </message>
    <message>
        <source>%1 terminated</source>
        <translation>%1 beendet</translation>
    </message>
    <message>
        <source>%1 exited with an error</source>
        <translation>%1 mit Fehler beendet</translation>
    </message>
    <message>
        <source>%1 stopped (by docker stop)</source>
        <translation>%1 gestoppt (durch docker stop)</translation>
    </message>
    <message>
        <source>%1 stopped</source>
        <translation>%1 gestoppt</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weitere</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bc::ui::AlertHistoryDialog</name>
    <message>
        <source>Alert history</source>
        <translation>Alarmverlauf</translation>
    </message>
    <message>
        <source>Filter alerts: box name or text</source>
        <translation>Alarme filtern: Box-Name oder Text</translation>
    </message>
    <message>
        <source>Filter alerts</source>
        <translation>Alarme filtern</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>%1 of %2 alerts shown</source>
        <translation>%1 von %2 Alarmen angezeigt</translation>
    </message>
    <message>
        <source>C&amp;lear history</source>
        <translation>Verlauf &amp;leeren</translation>
    </message>
</context>
<context>
    <name>bc::ui::AlertHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Box</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
</context>
<context>
    <name>bc::ui::BackendStatus</name>
    <message>
        <source>disconnected, retrying</source>
        <translation>getrennt, neuer Versuch folgt</translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation>%1: verbunden</translation>
    </message>
    <message>
        <source>%1: %2
The console retries on its own; the other backends keep working.</source>
        <translation>%1: %2
Die Konsole versucht es selbst erneut; die anderen Backends arbeiten weiter.</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cleaned up interrupted work: %1</source>
        <translation>Unterbrochene Vorgänge bereinigt: %1</translation>
    </message>
    <message>
        <source>Recovery of interrupted work failed: %1</source>
        <translation>Wiederherstellung unterbrochener Vorgänge fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Recovery of interrupted Coolify work failed: %1</source>
        <translation>Wiederherstellung unterbrochener Coolify-Vorgänge fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>bc::ui::BoxActions</name>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>St&amp;oppen</translation>
    </message>
    <message>
        <source>&amp;Restart</source>
        <translation>&amp;Neu starten</translation>
    </message>
    <message>
        <source>Re&amp;deploy…</source>
        <translation>Neu &amp;bereitstellen…</translation>
    </message>
    <message>
        <source>Replace the selected box with a new one from the spec it runs with, changed as you like; the running box is kept until the new one is healthy</source>
        <translation>Die ausgewählte Box durch eine neue aus ihrer laufenden Spezifikation ersetzen, nach Wunsch geändert; die laufende Box bleibt, bis die neue gesund ist</translation>
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>&amp;Open URL</source>
        <translation>&amp;URL öffnen</translation>
    </message>
    <message>
        <source>Copy &amp;exec command</source>
        <translation>&amp;exec-Befehl kopieren</translation>
    </message>
    <message>
        <source>Copy a docker exec command that opens a shell in the box</source>
        <translation>Einen docker-exec-Befehl kopieren, der eine Shell in der Box öffnet</translation>
    </message>
    <message>
        <source>&amp;Keep alive for 1 hour</source>
        <translation>1 Stunde &amp;aktiv halten</translation>
    </message>
    <message>
        <source>Defer the idle stop and the automatic delete of the selected boxes by an hour</source>
        <translation>Leerlauf-Stopp und automatisches Löschen der ausgewählten Boxen um eine Stunde aufschieben</translation>
    </message>
    <message>
        <source>Copied: %1</source>
        <translation>Kopiert: %1</translation>
    </message>
    <message>
        <source>Box %1</source>
        <translation>Box %1</translation>
    </message>
    <message>
        <source>Its backend is not configured.</source>
        <translation>Ihr Backend ist nicht eingerichtet.</translation>
    </message>
    <message>
        <source>start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>restart</source>
        <translation>Neustart</translation>
    </message>
    <message>
        <source>%1: %2…</source>
        <translation>%1: %2…</translation>
    </message>
    <message>
        <source>%1: %2 done</source>
        <translation>%1: %2 abgeschlossen</translation>
    </message>
    <message>
        <source>Could not %1 %2</source>
        <translation>%2: %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>A keep-alive is stored on a Docker engine; this box&apos;s backend has none.</source>
        <translation>Das Aktivhalten wird auf einer Docker-Engine gespeichert; das Backend dieser Box hat keine.</translation>
    </message>
    <message>
        <source>Could not keep %1 alive</source>
        <translation>%1 konnte nicht aktiv gehalten werden</translation>
    </message>
    <message>
        <source>%1: kept alive until %2</source>
        <translation>%1: aktiv gehalten bis %2</translation>
    </message>
    <message>
        <source>Deleting %1…</source>
        <translation>%1 wird gelöscht…</translation>
    </message>
    <message>
        <source>Deleted %1</source>
        <translation>%1 gelöscht</translation>
    </message>
    <message>
        <source>Could not delete %1</source>
        <translation>%1 konnte nicht gelöscht werden</translation>
    </message>
</context>
<context>
    <name>bc::ui::BoxDetailPane</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>Ressourcen</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>Egress</source>
        <translation>Egress</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Health:</source>
        <translation>Gesundheit:</translation>
    </message>
    <message>
        <source>Runs on:</source>
        <translation>Läuft auf:</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image:</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>Besitzer:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Times:</source>
        <translation>Zeiten:</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Exit-Code</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Last health checks</source>
        <translation>Letzte Health-Checks</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Mounts</source>
        <translation>Mounts</translation>
    </message>
    <message>
        <source>Memory (without page cache)</source>
        <translation>Speicher (ohne Page-Cache)</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>Disk I/O (block devices)</source>
        <translation>Datenträger-E/A (Blockgeräte)</translation>
    </message>
    <message>
        <source>Audit again</source>
        <translation>Erneut prüfen</translation>
    </message>
    <message>
        <source>Security findings</source>
        <translation>Sicherheitsbefunde</translation>
    </message>
    <message>
        <source>%1 is gone: it was deleted outside this console</source>
        <translation>%1 existiert nicht mehr: Die Box wurde außerhalb dieser Konsole gelöscht</translation>
    </message>
    <message>
        <source>No box selected</source>
        <translation>Keine Box ausgewählt</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>no health check</source>
        <translation>kein Health-Check</translation>
    </message>
    <message>
        <source>%1 @ %2</source>
        <translation>%1 @ %2</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>not routed (reach it with docker exec)</source>
        <translation>nicht geroutet (erreichbar mit docker exec)</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>erstellt %1</translation>
    </message>
    <message>
        <source>started %1</source>
        <translation>gestartet %1</translation>
    </message>
    <message>
        <source>limit %1 CPU</source>
        <translation>Limit %1 CPU</translation>
    </message>
    <message>
        <source>no CPU limit</source>
        <translation>kein CPU-Limit</translation>
    </message>
    <message>
        <source>CPU (100 % = one core)</source>
        <translation>CPU (100 % = ein Kern)</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>Limit %1</translation>
    </message>
    <message>
        <source>no memory limit</source>
        <translation>kein Speicherlimit</translation>
    </message>
    <message>
        <source>received</source>
        <translation>empfangen</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>↓ %1  ↑ %2</source>
        <translation>↓ %1  ↑ %2</translation>
    </message>
    <message>
        <source>read</source>
        <translation>gelesen</translation>
    </message>
    <message>
        <source>written</source>
        <translation>geschrieben</translation>
    </message>
    <message>
        <source>read %1, write %2</source>
        <translation>Lesen %1, Schreiben %2</translation>
    </message>
    <message>
        <source>Processes: –</source>
        <translation>Prozesse: –</translation>
    </message>
    <message>
        <source>Processes: %1</source>
        <translation>Prozesse: %1</translation>
    </message>
    <message>
        <source>Auditing on the Coolify server&apos;s engine…</source>
        <translation>Prüfung über die Engine des Coolify-Servers…</translation>
    </message>
    <message>
        <source>Could not inspect the box: %1</source>
        <translation>Die Box konnte nicht untersucht werden: %1</translation>
    </message>
    <message>
        <source>The posture audit needs a Docker backend; this box runs on %1.</source>
        <translation>Die Sicherheitsprüfung braucht ein Docker-Backend; diese Box läuft auf %1.</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>Auditing…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>(no output)</source>
        <translation>(keine Ausgabe)</translation>
    </message>
    <message>
        <source>this box has no health check</source>
        <translation>diese Box hat keinen Health-Check</translation>
    </message>
    <message>
        <source>no check has run yet</source>
        <translation>noch keine Prüfung gelaufen</translation>
    </message>
    <message numerus="yes">
        <source> — failing %n time(s) in a row</source>
        <translation>
            <numerusform> — %n-mal fehlgeschlagen</numerusform>
            <numerusform> — %n-mal in Folge fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>read-write</source>
        <translation>Lesen/Schreiben</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>nur Lesen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>No drift from the hardening profile.</source>
        <translation>Keine Abweichung vom Härtungsprofil.</translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>%n Befund</numerusform>
            <numerusform>%n Befunde</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n high or critical</source>
        <translation>
            <numerusform>, %n hoch oder kritisch</numerusform>
            <numerusform>, %n hoch oder kritisch</numerusform>
        </translation>
    </message>
    <message>
        <source>Backend not connected</source>
        <translation>Backend nicht verbunden</translation>
    </message>
    <message>
        <source>No output in this range yet. New lines appear here as the box writes them.</source>
        <translation>In diesem Bereich noch keine Ausgabe. Neue Zeilen erscheinen hier, sobald die Box sie schreibt.</translation>
    </message>
    <message>
        <source>Following the whole log and new output…</source>
        <translation>Verfolge das ganze Log und neue Ausgabe…</translation>
    </message>
    <message>
        <source>Following the last %1 lines and new output…</source>
        <translation>Verfolge die letzten %1 Zeilen und neue Ausgabe…</translation>
    </message>
    <message>
        <source>The log is empty: the box wrote nothing to stdout or stderr in this range.</source>
        <translation>Das Log ist leer: Die Box hat in diesem Bereich nichts nach stdout oder stderr geschrieben.</translation>
    </message>
    <message>
        <source>Log stream ended (the box stopped).</source>
        <translation>Log-Stream beendet (die Box wurde gestoppt).</translation>
    </message>
    <message>
        <source>Log stream ended: %1</source>
        <translation>Log-Stream beendet: %1</translation>
    </message>
    <message>
        <source>Could not read logs: %1</source>
        <translation>Logs konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The box is not running: no new output. Checking again every %1 s.</source>
        <translation>Die Box läuft nicht: keine neue Ausgabe. Erneute Prüfung alle %1 s.</translation>
    </message>
    <message>
        <source>――― some lines may have been missed between polls (%1 or more new lines) ―――</source>
        <translation>――― zwischen zwei Abfragen fehlen möglicherweise Zeilen (%1 oder mehr neue Zeilen) ―――</translation>
    </message>
    <message>
        <source>――― the log started over (the box restarted) ―――</source>
        <translation>――― das Log beginnt von vorn (die Box wurde neu gestartet) ―――</translation>
    </message>
    <message>
        <source>Polling every %1 s (this backend has no log stream)</source>
        <translation>Abfrage alle %1 s (dieses Backend hat keinen Log-Stream)</translation>
    </message>
</context>
<context>
    <name>bc::ui::BoxFilterBar</name>
    <message>
        <source>Filter boxes: name, subdomain, owner, image, host… (Ctrl+F or /)</source>
        <translation>Boxen filtern: Name, Subdomain, Besitzer, Image, Host… (Strg+F oder /)</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Any health</source>
        <translation>Jede Gesundheit</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>Gesund</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>Ungesund</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>No check</source>
        <translation>Keine Prüfung</translation>
    </message>
    <message>
        <source>All backends</source>
        <translation>Alle Backends</translation>
    </message>
    <message>
        <source>Filter boxes</source>
        <translation>Boxen filtern</translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation>Nach Status filtern</translation>
    </message>
    <message>
        <source>Filter by health</source>
        <translation>Nach Gesundheit filtern</translation>
    </message>
    <message>
        <source>Filter by backend</source>
        <translation>Nach Backend filtern</translation>
    </message>
    <message>
        <source>&quot;Needs attention&quot;: unhealthy, exited with an error, OOM-killed, restarting or dead</source>
        <translation>„Braucht Aufmerksamkeit“: ungesund, mit Fehler beendet, OOM-beendet, startet neu oder tot</translation>
    </message>
</context>
<context>
    <name>bc::ui::BoxListModel</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>deploying</source>
        <translation>wird bereitgestellt</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>startet neu</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>stoppt</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>tot</translation>
    </message>
    <message>
        <source>removing</source>
        <translation>wird entfernt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>no check</source>
        <translation>keine Prüfung</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>gesund</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>ungesund</translation>
    </message>
    <message>
        <source>killed: out of memory (the engine&apos;s OOM killer, exit %1)</source>
        <translation>zwangsbeendet: Speicher erschöpft (OOM-Killer der Engine, Exit-Code %1)</translation>
    </message>
    <message>
        <source>stopped (by %1)</source>
        <translation>gestoppt (von %1)</translation>
    </message>
    <message>
        <source>stopped (by %1, exit code %2)</source>
        <translation>gestoppt (von %1, Exit-Code %2)</translation>
    </message>
    <message>
        <source>exited normally (code 0)</source>
        <translation>normal beendet (Code 0)</translation>
    </message>
    <message>
        <source>killed (SIGKILL, exit code 137)</source>
        <translation>zwangsbeendet (SIGKILL, Exit-Code 137)</translation>
    </message>
    <message>
        <source>terminated (SIGTERM, exit code 143)</source>
        <translation>beendet (SIGTERM, Exit-Code 143)</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>beendet mit Code %1</translation>
    </message>
    <message>
        <source>OOM-killed</source>
        <translation>OOM-beendet</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>stopped (last: %1)</source>
        <translation>gestoppt (zuletzt: %1)</translation>
    </message>
    <message>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>kein Limit</translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 Min.</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T. %2 Std.</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 Min.</translation>
    </message>
    <message>
        <source>%1 (owner %2)</source>
        <translation>%1 (Besitzer %2)</translation>
    </message>
    <message>
        <source>%1 % of the limit</source>
        <translation>%1 % des Limits</translation>
    </message>
    <message>
        <source>100 % = one CPU core (as docker stats)</source>
        <translation>100 % = ein CPU-Kern (wie bei docker stats)</translation>
    </message>
    <message>
        <source>Idle stop after %1 without agent activity%2</source>
        <translation>Leerlauf-Stopp nach %1 ohne Agent-Aktivität%2</translation>
    </message>
    <message>
        <source>: at %1 at the earliest</source>
        <translation>: frühestens am %1</translation>
    </message>
    <message>
        <source>Expires %1 after creation%2</source>
        <translation>Läuft %1 nach der Erstellung ab%2</translation>
    </message>
    <message>
        <source>: at %1</source>
        <translation>: am %1</translation>
    </message>
    <message>
        <source>Deleted %1 after it stopped%2</source>
        <translation>Wird %1 nach dem Stopp gelöscht%2</translation>
    </message>
    <message>
        <source>Set by the box&apos;s spec</source>
        <translation>Durch die Spezifikation der Box festgelegt</translation>
    </message>
    <message>
        <source>The backend&apos;s fleet default</source>
        <translation>Flottenstandard des Backends</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Besitzer</translation>
    </message>
    <message>
        <source>Subdomain</source>
        <translation>Subdomain</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Gesundheit</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>PIDs</source>
        <translation>PIDs</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
</context>
<context>
    <name>bc::ui::BoxTableView</name>
    <message>
        <source>Boxes</source>
        <translation>Boxen</translation>
    </message>
</context>
<context>
    <name>bc::ui::BuildDialog</name>
    <message>
        <source>%1 has no skill (a sub-directory with SKILL.md)</source>
        <translation>%1 enthält keinen Skill (ein Unterverzeichnis mit SKILL.md)</translation>
    </message>
    <message>
        <source>cannot copy %1</source>
        <translation>%1 kann nicht kopiert werden</translation>
    </message>
    <message numerus="yes">
        <source>%n skill(s); packages: apt %1, npm %2, pip %3</source>
        <translation>
            <numerusform>%n Skill; Pakete: apt %1, npm %2, pip %3</numerusform>
            <numerusform>%n Skills; Pakete: apt %1, npm %2, pip %3</numerusform>
        </translation>
    </message>
    <message>
        <source>Context directory (contains a Dockerfile)</source>
        <translation>Kontextverzeichnis (enthält ein Dockerfile)</translation>
    </message>
    <message>
        <source>Skills directory (Dockerfile generated from SKILL.md and skill.json)</source>
        <translation>Skills-Verzeichnis (Dockerfile wird aus SKILL.md und skill.json erzeugt)</translation>
    </message>
    <message>
        <source>Build a box image</source>
        <translation>Box-Image bauen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>directory on this machine</source>
        <translation>Verzeichnis auf diesem Rechner</translation>
    </message>
    <message>
        <source>e.g. box-console/box:alice-1</source>
        <translation>z. B. box-console/box:alice-1</translation>
    </message>
    <message>
        <source>The build log appears here as the engine sends it.</source>
        <translation>Das Build-Log erscheint hier, sobald die Engine es sendet.</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>Engine:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>Verzeichnis:</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>Tag:</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Bauen</translation>
    </message>
    <message>
        <source>Choose a directory</source>
        <translation>Verzeichnis wählen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>%1 — %2 s</source>
        <translation>%1 — %2 s</translation>
    </message>
    <message>
        <source>No Docker engine is configured.</source>
        <translation>Es ist keine Docker-Engine eingerichtet.</translation>
    </message>
    <message>
        <source>%1 is not a directory</source>
        <translation>%1 ist kein Verzeichnis</translation>
    </message>
    <message>
        <source>%1 has no Dockerfile; choose the skills mode to generate one</source>
        <translation>%1 enthält kein Dockerfile; wählen Sie den Skills-Modus, um eines zu erzeugen</translation>
    </message>
    <message>
        <source>Tag: %1</source>
        <translation>Tag: %1</translation>
    </message>
    <message>
        <source>Sending the context</source>
        <translation>Kontext wird gesendet</translation>
    </message>
    <message>
        <source>Generating the Dockerfile from skills</source>
        <translation>Dockerfile wird aus den Skills erzeugt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Generated Dockerfile: %1
</source>
        <translation>Erzeugtes Dockerfile: %1
</translation>
    </message>
    <message>
        <source>the engine is no longer configured</source>
        <translation>die Engine ist nicht mehr eingerichtet</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:%1&quot;&gt;●&lt;/span&gt; Built %2 (%3) in %4</source>
        <translation>&lt;span style=&quot;color:%1&quot;&gt;●&lt;/span&gt; %2 (%3) in %4 gebaut</translation>
    </message>
    <message>
        <source>Build cancelled after %1.</source>
        <translation>Build nach %1 abgebrochen.</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:%1&quot;&gt;●&lt;/span&gt; &lt;b&gt;Build failed&lt;/b&gt;: %2</source>
        <translation>&lt;span style=&quot;color:%1&quot;&gt;●&lt;/span&gt; &lt;b&gt;Build fehlgeschlagen&lt;/b&gt;: %2</translation>
    </message>
    <message>
        <source>Build log</source>
        <translation>Build-Protokoll</translation>
    </message>
</context>
<context>
    <name>bc::ui::ConsoleAlerts</name>
    <message>
        <source>Box Console</source>
        <translation>Box Console</translation>
    </message>
</context>
<context>
    <name>bc::ui::ConsoleMenus</name>
    <message>
        <source>&amp;Deploy…</source>
        <translation>Be&amp;reitstellen…</translation>
    </message>
    <message>
        <source>Deploy a new box (Ctrl+N)</source>
        <translation>Neue Box bereitstellen (Strg+N)</translation>
    </message>
    <message>
        <source>&amp;Build image…</source>
        <translation>&amp;Image bauen…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Re-read every box and re-sort (F5)</source>
        <translation>Alle Boxen neu einlesen und neu sortieren (F5)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Alert history…</source>
        <translation>Alar&amp;mverlauf…</translation>
    </message>
    <message>
        <source>&amp;Volumes, images, networks…</source>
        <translation>&amp;Volumes, Images, Netzwerke…</translation>
    </message>
    <message>
        <source>&amp;Filter boxes</source>
        <translation>Boxen &amp;filtern</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Box</source>
        <translation>&amp;Box</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Detail &amp;tab</source>
        <translation>Detail-&amp;Tab</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Spalten</translation>
    </message>
    <message>
        <source>Activit&amp;y log…</source>
        <translation>Akt&amp;ivitätsprotokoll…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About Box Console</source>
        <translation>Ü&amp;ber Box Console</translation>
    </message>
    <message>
        <source>About Box Console</source>
        <translation>Über Box Console</translation>
    </message>
    <message>
        <source>Box Console %1: hardened per-user containers on Docker engines and Coolify.</source>
        <translation>Box Console %1: gehärtete Container je Benutzer auf Docker-Engines und Coolify.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>Filter boxes (from the list)</source>
        <translation>Boxen filtern (aus der Liste)</translation>
    </message>
    <message>
        <source>Select the first match (in the filter)</source>
        <translation>Ersten Treffer auswählen (im Filter)</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Back to the list, filter kept (in the filter)</source>
        <translation>Zurück zur Liste, Filter bleibt (im Filter)</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Show the row&apos;s overview (in the list)</source>
        <translation>Übersicht der Zeile anzeigen (in der Liste)</translation>
    </message>
    <message>
        <source>Context menu of a row</source>
        <translation>Kontextmenü einer Zeile</translation>
    </message>
    <message>
        <source>Menu key, Shift+F10</source>
        <translation>Menütaste, Umschalt+F10</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>Nächstes / vorheriges Bedienelement</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Umschalt+Tab</translation>
    </message>
    <message>
        <source>Menus</source>
        <translation>Menüs</translation>
    </message>
    <message>
        <source>Alt + underlined letter, F10</source>
        <translation>Alt + unterstrichener Buchstabe, F10</translation>
    </message>
</context>
<context>
    <name>bc::ui::CoolifyEngineAccessEditor</name>
    <message>
        <source>Reach this server&apos;s Docker engine over ssh</source>
        <translation>Docker-Engine dieses Servers über ssh erreichen</translation>
    </message>
    <message>
        <source>Coolify server for engine access</source>
        <translation>Coolify-Server für den Engine-Zugriff</translation>
    </message>
    <message>
        <source>Live state and health from the engine&apos;s events, CPU, memory and processes, the health log, the posture audit, streamed logs and a terminal for boxes on this server. Uses ssh with your keys as the user Coolify uses; the host key must already be in known_hosts.</source>
        <translation>Live-Status und -Gesundheit aus den Ereignissen der Engine, CPU, Speicher und Prozesse, das Health-Log, die Sicherheitsprüfung, gestreamte Logs und ein Terminal für Boxen auf diesem Server. Verwendet ssh mit Ihren Schlüsseln als der Benutzer, den Coolify verwendet; der Host-Schlüssel muss bereits in known_hosts stehen.</translation>
    </message>
    <message>
        <source>ssh key file; empty: your ssh defaults</source>
        <translation>ssh-Schlüsseldatei; leer: Ihre ssh-Voreinstellungen</translation>
    </message>
    <message>
        <source>known_hosts file; empty: ~/.ssh/known_hosts</source>
        <translation>known_hosts-Datei; leer: ~/.ssh/known_hosts</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>Schlüssel:</translation>
    </message>
    <message>
        <source>Known hosts:</source>
        <translation>Bekannte Hosts:</translation>
    </message>
    <message>
        <source>%1 (stored; Test connection to list servers)</source>
        <translation>%1 (gespeichert; „Verbindung testen“ listet die Server auf)</translation>
    </message>
    <message>
        <source>%1 (not listed by Coolify)</source>
        <translation>%1 (von Coolify nicht aufgeführt)</translation>
    </message>
</context>
<context>
    <name>bc::ui::CoolifySettingsBox</name>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <source>Coolify</source>
        <translation>Coolify</translation>
    </message>
    <message>
        <source>https://coolify.example.com (empty: not used)</source>
        <translation>https://coolify.example.com (leer: nicht verwendet)</translation>
    </message>
    <message>
        <source>API token (none stored)</source>
        <translation>API-Token (keines gespeichert)</translation>
    </message>
    <message>
        <source>Stored in the system keychain (or a file only you can read); it is never shown again.</source>
        <translation>Wird im System-Schlüsselbund gespeichert (oder in einer Datei, die nur Sie lesen können); es wird nie wieder angezeigt.</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>API token:</source>
        <translation>API-Token:</translation>
    </message>
    <message>
        <source>a token is stored (type to replace it)</source>
        <translation>ein Token ist gespeichert (zum Ersetzen überschreiben)</translation>
    </message>
    <message>
        <source>Egress socket root: use an absolute path on the Coolify server, e.g. /run/box-egress.</source>
        <translation>Egress-Socket-Wurzel: Verwenden Sie einen absoluten Pfad auf dem Coolify-Server, z. B. /run/box-egress.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Checks that Coolify answers, which version it runs and that it accepts the token; then lists servers and projects.</source>
        <translation>Prüft, ob Coolify antwortet, welche Version läuft und ob das Token akzeptiert wird; listet dann Server und Projekte auf.</translation>
    </message>
    <message>
        <source>Coolify connection result</source>
        <translation>Ergebnis der Coolify-Verbindung</translation>
    </message>
    <message>
        <source>Coolify server</source>
        <translation>Coolify-Server</translation>
    </message>
    <message>
        <source>Where boxes run: usable, reachable servers that are not build servers.</source>
        <translation>Wo Boxen laufen: nutzbare, erreichbare Server, die keine Build-Server sind.</translation>
    </message>
    <message>
        <source>Coolify project</source>
        <translation>Coolify-Projekt</translation>
    </message>
    <message>
        <source>Coolify environment</source>
        <translation>Coolify-Umgebung</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Umgebung:</translation>
    </message>
    <message>
        <source>Project:</source>
        <translation>Projekt:</translation>
    </message>
    <message>
        <source>e.g. /run/box-egress; empty: no egress</source>
        <translation>z. B. /run/box-egress; leer: kein Egress</translation>
    </message>
    <message>
        <source>On the Coolify server: the egress proxy&apos;s socket root; a box with egress gets &lt;root&gt;/&lt;box&gt; mounted read-only.</source>
        <translation>Auf dem Coolify-Server: die Socket-Wurzel des Egress-Proxys; eine Box mit Egress bekommt &lt;root&gt;/&lt;box&gt; schreibgeschützt eingehängt.</translation>
    </message>
    <message>
        <source>Coolify egress socket root</source>
        <translation>Coolify-Egress-Socket-Wurzel</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Group id of the proxy&apos;s sockets on the Coolify server; the box user joins it. None: the sockets are open to all.</source>
        <translation>Gruppen-ID der Proxy-Sockets auf dem Coolify-Server; der Benutzer der Box tritt ihr bei. Keine: Die Sockets sind für alle offen.</translation>
    </message>
    <message>
        <source>Coolify egress group id</source>
        <translation>Coolify-Egress-Gruppen-ID</translation>
    </message>
    <message>
        <source>Group id:</source>
        <translation>Gruppen-ID:</translation>
    </message>
    <message>
        <source>Egress sockets:</source>
        <translation>Egress-Sockets:</translation>
    </message>
    <message>
        <source>Engine over ssh:</source>
        <translation>Engine über ssh:</translation>
    </message>
    <message>
        <source>stored; Test connection to check</source>
        <translation>gespeichert; „Verbindung testen“ prüft sie</translation>
    </message>
    <message>
        <source>Server and project are not set: Coolify deploys need both.</source>
        <translation>Server und Projekt sind nicht gesetzt: Coolify-Bereitstellungen brauchen beides.</translation>
    </message>
    <message>
        <source>Type the Coolify URL first.</source>
        <translation>Geben Sie zuerst die Coolify-URL ein.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung mit %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>Coolify does not answer at %1: %2</source>
        <translation>Coolify antwortet nicht unter %1: %2</translation>
    </message>
    <message>
        <source>Coolify answers, but: %1</source>
        <translation>Coolify antwortet, aber: %1</translation>
    </message>
    <message>
        <source>Connected: Coolify %1, token accepted.</source>
        <translation>Verbunden: Coolify %1, Token akzeptiert.</translation>
    </message>
    <message>
        <source>Servers could not be listed: %1</source>
        <translation>Server konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>build server</source>
        <translation>Build-Server</translation>
    </message>
    <message>
        <source>not reachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>not usable</source>
        <translation>nicht nutzbar</translation>
    </message>
    <message>
        <source>not offered by Coolify</source>
        <translation>von Coolify nicht angeboten</translation>
    </message>
    <message>
        <source>Not offered: %1.</source>
        <translation>Nicht angeboten: %1.</translation>
    </message>
    <message>
        <source>Coolify has no server that can host boxes (usable, reachable, not a build server).</source>
        <translation>Coolify hat keinen Server, der Boxen aufnehmen kann (nutzbar, erreichbar, kein Build-Server).</translation>
    </message>
    <message>
        <source>Projects could not be listed: %1</source>
        <translation>Projekte konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Environments could not be listed: %1</source>
        <translation>Umgebungen konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>This project has no environment.</source>
        <translation>Dieses Projekt hat keine Umgebung.</translation>
    </message>
</context>
<context>
    <name>bc::ui::DataViewsDialog</name>
    <message>
        <source>Volumes, images and networks</source>
        <translation>Volumes, Images und Netzwerke</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Volume</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Box</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>Volumes</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Verwendet von</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>Treiber</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>Netzwerke</translation>
    </message>
    <message>
        <source>&amp;Volumes</source>
        <translation>&amp;Volumes</translation>
    </message>
    <message>
        <source>&amp;Images</source>
        <translation>&amp;Images</translation>
    </message>
    <message>
        <source>&amp;Networks</source>
        <translation>&amp;Netzwerke</translation>
    </message>
    <message>
        <source>Data views</source>
        <translation>Datenansichten</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Remove &amp;orphaned box data…</source>
        <translation>Verwaiste Box-Daten ent&amp;fernen…</translation>
    </message>
    <message>
        <source>Volumes and networks of boxes that no longer have a container (kept data, interrupted deploys). You confirm the list first.</source>
        <translation>Volumes und Netzwerke von Boxen, die keinen Container mehr haben (aufbewahrte Daten, unterbrochene Bereitstellungen). Sie bestätigen die Liste vorher.</translation>
    </message>
    <message>
        <source>Reading the engines…</source>
        <translation>Engines werden gelesen…</translation>
    </message>
    <message>
        <source>No Docker engine is configured.</source>
        <translation>Es ist keine Docker-Engine eingerichtet.</translation>
    </message>
    <message>
        <source>orphaned: box %1 has no container</source>
        <translation>verwaist: Box %1 hat keinen Container</translation>
    </message>
    <message>
        <source>in use by %1</source>
        <translation>verwendet von %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>volume %1 (box %2, %3) on %4</source>
        <translation>Volume %1 (Box %2, %3) auf %4</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <source>no box</source>
        <translation>keine Box</translation>
    </message>
    <message>
        <source>1 box</source>
        <translation>1 Box</translation>
    </message>
    <message>
        <source>%1 boxes</source>
        <translation>%1 Boxen</translation>
    </message>
    <message>
        <source>, internal</source>
        <translation>, intern</translation>
    </message>
    <message>
        <source>network %1 (box %2) on %3</source>
        <translation>Netzwerk %1 (Box %2) auf %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>No orphaned box data.</source>
        <translation>Keine verwaisten Box-Daten.</translation>
    </message>
    <message>
        <source>1 orphaned item: a volume or network of a box that no longer has a container.</source>
        <translation>1 verwaistes Objekt: ein Volume oder Netzwerk einer Box, die keinen Container mehr hat.</translation>
    </message>
    <message>
        <source>%1 orphaned items: volumes or networks of boxes that no longer have a container.</source>
        <translation>%1 verwaiste Objekte: Volumes oder Netzwerke von Boxen, die keinen Container mehr haben.</translation>
    </message>
    <message>
        <source>Remove orphaned box data?</source>
        <translation>Verwaiste Box-Daten entfernen?</translation>
    </message>
    <message>
        <source>This removes 1 item for good, with the data in it:</source>
        <translation>Dies entfernt 1 Objekt endgültig, mitsamt seinen Daten:</translation>
    </message>
    <message>
        <source>This removes %1 items for good, with the data in them:</source>
        <translation>Dies entfernt %1 Objekte endgültig, mitsamt ihren Daten:</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more (see details)</source>
        <translation>
            <numerusform>… und %n weiteres (siehe Details)</numerusform>
            <numerusform>… und %n weitere (siehe Details)</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove 1 item</source>
        <translation>1 Objekt entfernen</translation>
    </message>
    <message>
        <source>Remove %1 items</source>
        <translation>%1 Objekte entfernen</translation>
    </message>
    <message>
        <source>Removed 1 item.</source>
        <translation>1 Objekt entfernt.</translation>
    </message>
    <message>
        <source>Removed %1 items.</source>
        <translation>%1 Objekte entfernt.</translation>
    </message>
    <message>
        <source>Could not remove: %1</source>
        <translation>Entfernen fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>bc::ui::DeleteDialog</name>
    <message>
        <source>Keep data (the box&apos;s volumes stay for a later re-deploy)</source>
        <translation>Daten behalten (die Volumes der Box bleiben für eine spätere erneute Bereitstellung erhalten)</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n boxes?</source>
        <translation>
            <numerusform>%n Box löschen?</numerusform>
            <numerusform>%n Boxen löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n boxes</source>
        <translation>
            <numerusform>%n Box löschen</numerusform>
            <numerusform>%n Boxen löschen</numerusform>
        </translation>
    </message>
    <message>
        <source>Each box is stopped (its stop signal, then killed if it has not exited after its %1 s grace period) and removed: its container, its network and, unless you keep data, its volumes. This cannot be undone.</source>
        <translation>Jede Box wird gestoppt (mit ihrem Stoppsignal, dann zwangsbeendet, falls sie nach ihrer Schonfrist von %1 s nicht beendet ist) und entfernt: ihr Container, ihr Netzwerk und, sofern Sie die Daten nicht behalten, ihre Volumes. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Stop %1?</source>
        <translation>%1 stoppen?</translation>
    </message>
    <message numerus="yes">
        <source>Stop %n boxes?</source>
        <translation>
            <numerusform>%n Box stoppen?</numerusform>
            <numerusform>%n Boxen stoppen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop %1</source>
        <translation>%1 stoppen</translation>
    </message>
    <message numerus="yes">
        <source>Stop %n boxes</source>
        <translation>
            <numerusform>%n Box stoppen</numerusform>
            <numerusform>%n Boxen stoppen</numerusform>
        </translation>
    </message>
    <message>
        <source>Each box gets its stop signal and is killed if it has not exited after its %1 s grace period. Data stays; Start brings it back.</source>
        <translation>Jede Box erhält ihr Stoppsignal und wird zwangsbeendet, falls sie nach ihrer Schonfrist von %1 s nicht beendet ist. Die Daten bleiben erhalten; „Starten“ holt sie zurück.</translation>
    </message>
    <message>
        <source>Restart %1?</source>
        <translation>%1 neu starten?</translation>
    </message>
    <message numerus="yes">
        <source>Restart %n boxes?</source>
        <translation>
            <numerusform>%n Box neu starten?</numerusform>
            <numerusform>%n Boxen neu starten?</numerusform>
        </translation>
    </message>
    <message>
        <source>Restart %1</source>
        <translation>%1 neu starten</translation>
    </message>
    <message numerus="yes">
        <source>Restart %n boxes</source>
        <translation>
            <numerusform>%n Box neu starten</numerusform>
            <numerusform>%n Boxen neu starten</numerusform>
        </translation>
    </message>
    <message>
        <source>Each box gets its stop signal, is killed if it has not exited after its %1 s grace period, and starts again.</source>
        <translation>Jede Box erhält ihr Stoppsignal, wird zwangsbeendet, falls sie nach ihrer Schonfrist von %1 s nicht beendet ist, und startet erneut.</translation>
    </message>
    <message>
        <source>%1 — %2, on %3</source>
        <translation>%1 — %2, auf %3</translation>
    </message>
    <message>
        <source>Boxes affected</source>
        <translation>Betroffene Boxen</translation>
    </message>
</context>
<context>
    <name>bc::ui::DeployDialog</name>
    <message>
        <source>Coolify settings</source>
        <translation>Coolify-Einstellungen</translation>
    </message>
    <message>
        <source>Check the spec</source>
        <translation>Spezifikation prüfen</translation>
    </message>
    <message>
        <source>Check the owner&apos;s quota</source>
        <translation>Kontingent des Besitzers prüfen</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stop the box</source>
        <translation>Box stoppen</translation>
    </message>
    <message>
        <source>Remove the box</source>
        <translation>Box entfernen</translation>
    </message>
    <message>
        <source>Revoke the egress grant</source>
        <translation>Egress-Freigabe widerrufen</translation>
    </message>
    <message>
        <source>Find the Coolify environment</source>
        <translation>Coolify-Umgebung ermitteln</translation>
    </message>
    <message>
        <source>Set the secrets</source>
        <translation>Secrets setzen</translation>
    </message>
    <message>
        <source>Read the box&apos;s status</source>
        <translation>Status der Box lesen</translation>
    </message>
    <message>
        <source>Build the image</source>
        <translation>Image bauen</translation>
    </message>
    <message>
        <source>Create the volumes</source>
        <translation>Volumes anlegen</translation>
    </message>
    <message>
        <source>Create the network</source>
        <translation>Netzwerk anlegen</translation>
    </message>
    <message>
        <source>Create the container</source>
        <translation>Container anlegen</translation>
    </message>
    <message>
        <source>Start the box</source>
        <translation>Box starten</translation>
    </message>
    <message>
        <source>Wait until healthy</source>
        <translation>Warten, bis sie gesund ist</translation>
    </message>
    <message>
        <source>Commit (replace the previous box)</source>
        <translation>Übernehmen (vorherige Box ersetzen)</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>Zurückrollen</translation>
    </message>
    <message>
        <source>Deploy a box</source>
        <translation>Box bereitstellen</translation>
    </message>
    <message>
        <source>Deploy to:</source>
        <translation>Bereitstellen auf:</translation>
    </message>
    <message>
        <source>e.g. alice-dev</source>
        <translation>z. B. alice-dev</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;; starts with a letter or digit; at most 63.</source>
        <translation>Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;; beginnt mit einem Buchstaben oder einer Ziffer; höchstens 63.</translation>
    </message>
    <message>
        <source>one lower-case DNS label, e.g. alice</source>
        <translation>ein DNS-Label in Kleinbuchstaben, z. B. alice</translation>
    </message>
    <message>
        <source>Subdomain:</source>
        <translation>Subdomain:</translation>
    </message>
    <message>
        <source>e-mail or user name (optional)</source>
        <translation>E-Mail-Adresse oder Benutzername (optional)</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>Besitzer:</translation>
    </message>
    <message>
        <source>image reference, e.g. box-base:latest</source>
        <translation>Image-Referenz, z. B. box-base:latest</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image:</translation>
    </message>
    <message>
        <source> CPUs</source>
        <translation> CPUs</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source> processes</source>
        <translation> Prozesse</translation>
    </message>
    <message>
        <source>Limits:</source>
        <translation>Limits:</translation>
    </message>
    <message>
        <source>Isolated (no network; reach it with docker exec)</source>
        <translation>Isoliert (kein Netzwerk; erreichbar mit docker exec)</translation>
    </message>
    <message>
        <source>Routed (own internal network, reachable through Traefik)</source>
        <translation>Geroutet (eigenes internes Netzwerk, erreichbar über Traefik)</translation>
    </message>
    <message>
        <source>Network:</source>
        <translation>Netzwerk:</translation>
    </message>
    <message>
        <source>KEY=value, one per line (no provider keys: the egress proxy injects them)</source>
        <translation>KEY=value, eine Variable pro Zeile (keine Provider-Schlüssel: Der Egress-Proxy fügt sie ein)</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Umgebung:</translation>
    </message>
    <message>
        <source>Keep the box&apos;s data volumes when it is deleted</source>
        <translation>Daten-Volumes der Box beim Löschen behalten</translation>
    </message>
    <message>
        <source>Policy:</source>
        <translation>Richtlinie:</translation>
    </message>
    <message>
        <source>shell command; empty = the image&apos;s own HEALTHCHECK</source>
        <translation>Shell-Befehl; leer = der eigene HEALTHCHECK des Images</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>Health-Check</translation>
    </message>
    <message>
        <source>Health check:</source>
        <translation>Health-Check:</translation>
    </message>
    <message>
        <source>Run inside the box; exit 0 means healthy. Empty: the image&apos;s own HEALTHCHECK, else a probe of the box-agent on port 9999.</source>
        <translation>Läuft in der Box; Exit-Code 0 bedeutet gesund. Leer: der eigene HEALTHCHECK des Images, sonst eine Abfrage des box-agent auf Port 9999.</translation>
    </message>
    <message>
        <source>Keep the failed box for inspection</source>
        <translation>Fehlgeschlagene Box zur Untersuchung behalten</translation>
    </message>
    <message>
        <source>A box that fails its start is kept, stopped, as &lt;name&gt;.failed-&lt;id&gt; instead of being removed</source>
        <translation>Eine Box, deren Start fehlschlägt, wird gestoppt als &lt;name&gt;.failed-&lt;id&gt; aufbewahrt, statt entfernt zu werden</translation>
    </message>
    <message>
        <source>Open spec file…</source>
        <translation>Spezifikationsdatei öffnen…</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>Bereitstellen</translation>
    </message>
    <message>
        <source>Open box spec</source>
        <translation>Box-Spezifikation öffnen</translation>
    </message>
    <message>
        <source>Box specs (*.json)</source>
        <translation>Box-Spezifikationen (*.json)</translation>
    </message>
    <message>
        <source>Cancelling: removing what was created so far…</source>
        <translation>Abbruch: Bisher Angelegtes wird entfernt…</translation>
    </message>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>A box named %1 exists: Deploy asks before it redeploys it (the running box is kept until the new one is healthy).</source>
        <translation>Eine Box namens %1 existiert: „Bereitstellen“ fragt nach, bevor es sie neu bereitstellt (die laufende Box bleibt erhalten, bis die neue gesund ist).</translation>
    </message>
    <message>
        <source>line %1: expected KEY=value</source>
        <translation>Zeile %1: KEY=value erwartet</translation>
    </message>
    <message>
        <source>line %1: %2%3</source>
        <translation>Zeile %1: %2%3</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>no backend configured</source>
        <translation>kein Backend eingerichtet</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is not a valid box spec: %2</source>
        <translation>%1 ist keine gültige Box-Spezifikation: %2</translation>
    </message>
    <message>
        <source>skills: %1</source>
        <translation>Skills: %1</translation>
    </message>
    <message>
        <source>command: %1</source>
        <translation>Befehl: %1</translation>
    </message>
    <message>
        <source>custom health check</source>
        <translation>eigener Health-Check</translation>
    </message>
    <message>
        <source>secrets: %1</source>
        <translation>Secrets: %1</translation>
    </message>
    <message>
        <source>From %1%2</source>
        <translation>Aus %1%2</translation>
    </message>
    <message>
        <source>Deploying %1 to %2</source>
        <translation>%1 wird auf %2 bereitgestellt</translation>
    </message>
    <message>
        <source> — failed</source>
        <translation> — fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 is deployed and %2.</source>
        <translation>%1 ist bereitgestellt und %2.</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>gesund</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Redeploy %1?</source>
        <translation>%1 neu bereitstellen?</translation>
    </message>
    <message>
        <source>A box named %1 already exists.

Redeploy replaces it: the running box is stopped and kept aside until the new one is healthy; if the new one fails, the old one is started again. Its data volumes are kept.</source>
        <translation>Eine Box namens %1 existiert bereits.

Neu bereitstellen ersetzt sie: Die laufende Box wird gestoppt und beiseitegestellt, bis die neue gesund ist; schlägt die neue fehl, wird die alte wieder gestartet. Ihre Daten-Volumes bleiben erhalten.</translation>
    </message>
    <message>
        <source> — done</source>
        <translation> — erledigt</translation>
    </message>
    <message>
        <source>What this deploy had created was removed again (rolled back).</source>
        <translation>Was diese Bereitstellung angelegt hatte, wurde wieder entfernt (zurückgerollt).</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>Es wurde nichts angelegt.</translation>
    </message>
    <message>
        <source>Cancelled%1. %2</source>
        <translation>Abgebrochen%1. %2</translation>
    </message>
    <message>
        <source> during “%1”</source>
        <translation> bei „%1“</translation>
    </message>
    <message>
        <source>&lt;b&gt;Deploy failed at “%1”&lt;/b&gt;: %2&lt;br&gt;%3</source>
        <translation>&lt;b&gt;Bereitstellung bei „%1“ fehlgeschlagen&lt;/b&gt;: %2&lt;br&gt;%3</translation>
    </message>
    <message>
        <source>Cancel deploy?</source>
        <translation>Bereitstellung abbrechen?</translation>
    </message>
    <message>
        <source>Cancel the deploy? What it has created so far is removed.</source>
        <translation>Die Bereitstellung abbrechen? Was sie bisher angelegt hat, wird entfernt.</translation>
    </message>
    <message>
        <source>Create the Coolify service</source>
        <translation>Coolify-Dienst anlegen</translation>
    </message>
    <message>
        <source>Start the service</source>
        <translation>Dienst starten</translation>
    </message>
    <message>
        <source>Roll back (delete the service)</source>
        <translation>Zurückrollen (Dienst löschen)</translation>
    </message>
    <message>
        <source>policy upstream name or &quot;all&quot;; empty: no egress</source>
        <translation>Upstream-Name aus der Richtlinie oder „all“; leer: kein Egress</translation>
    </message>
    <message>
        <source>Egress</source>
        <translation>Egress</translation>
    </message>
    <message>
        <source>Which upstreams of the egress policy the box may reach through the egress proxy.</source>
        <translation>Welche Upstreams der Egress-Richtlinie die Box über den Egress-Proxy erreichen darf.</translation>
    </message>
    <message>
        <source>Egress:</source>
        <translation>Egress:</translation>
    </message>
    <message>
        <source>Coolify placement</source>
        <translation>Coolify-Platzierung</translation>
    </message>
    <message>
        <source>Coolify:</source>
        <translation>Coolify:</translation>
    </message>
    <message>
        <source>Routed boxes are refused on Coolify: a service&apos;s network there also joins
coolify-proxy, so the box could reach the internet past its egress policy.
Deploy routed boxes on Docker.</source>
        <translation>Geroutete Boxen werden auf Coolify abgelehnt: Das Netzwerk eines Dienstes ist dort
auch mit coolify-proxy verbunden, die Box käme also an ihrer Egress-Richtlinie vorbei
ins Internet. Stellen Sie geroutete Boxen auf Docker bereit.</translation>
    </message>
    <message>
        <source>routed is refused on Coolify: choose Isolated, or deploy to Docker</source>
        <translation>„Geroutet“ wird auf Coolify abgelehnt: Wählen Sie „Isoliert“ oder stellen Sie auf Docker bereit</translation>
    </message>
    <message>
        <source>Not offered: egress on Coolify needs the egress socket root in Settings.</source>
        <translation>Nicht verfügbar: Egress auf Coolify braucht die Egress-Socket-Wurzel in den Einstellungen.</translation>
    </message>
    <message>
        <source>this box asks for egress, but no Coolify egress socket root is set</source>
        <translation>diese Box verlangt Egress, aber es ist keine Coolify-Egress-Socket-Wurzel gesetzt</translation>
    </message>
    <message>
        <source>
This box asks for egress “%1”.</source>
        <translation>
Diese Box verlangt Egress „%1“.</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>server &lt;b&gt;%1&lt;/b&gt; · project &lt;b&gt;%2&lt;/b&gt;&lt;br&gt;environment &lt;b&gt;%3&lt;/b&gt; · %4</source>
        <translation>Server &lt;b&gt;%1&lt;/b&gt; · Projekt &lt;b&gt;%2&lt;/b&gt;&lt;br&gt;Umgebung &lt;b&gt;%3&lt;/b&gt; · %4</translation>
    </message>
    <message>
        <source>Server %1, project %2, environment %3</source>
        <translation>Server %1, Projekt %2, Umgebung %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not set: %1.&lt;/b&gt; Coolify deploys need a server and a project:&lt;br&gt;choose them in %2 (Coolify), then open Deploy again.</source>
        <translation>&lt;b&gt;Nicht gesetzt: %1.&lt;/b&gt; Coolify-Bereitstellungen brauchen einen Server und ein Projekt:&lt;br&gt;Wählen Sie beide in %2 (Coolify) und öffnen Sie dann „Bereitstellen“ erneut.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>the running box</source>
        <translation>der laufenden Box</translation>
    </message>
    <message>
        <source>Redeploy %1</source>
        <translation>%1 neu bereitstellen</translation>
    </message>
    <message>
        <source>&amp;Redeploy</source>
        <translation>&amp;Neu bereitstellen</translation>
    </message>
    <message>
        <source>Redeploys %1 from the spec it runs with. The running box keeps running, set aside, until the new one is healthy; if the new one fails, it is started again. Its data volumes are kept.</source>
        <translation>Stellt %1 mit der Spezifikation neu bereit, mit der die Box läuft. Die laufende Box läuft beiseitegestellt weiter, bis die neue gesund ist; schlägt die neue fehl, wird sie wieder gestartet. Ihre Daten-Volumes bleiben erhalten.</translation>
    </message>
    <message>
        <source>CPU limit</source>
        <translation>CPU-Limit</translation>
    </message>
    <message>
        <source>Memory limit</source>
        <translation>Speicherlimit</translation>
    </message>
    <message>
        <source>Process limit</source>
        <translation>Prozesslimit</translation>
    </message>
</context>
<context>
    <name>bc::ui::DeployLauncher</name>
    <message>
        <source>Deployed %1</source>
        <translation>%1 bereitgestellt</translation>
    </message>
    <message>
        <source>Redeploy %1</source>
        <translation>%1 neu bereitstellen</translation>
    </message>
    <message>
        <source>The spec recorded on %1 cannot be read (%2). Redeploy it from its spec file: boxctl deploy --spec FILE --redeploy</source>
        <translation>Die bei %1 hinterlegte Spezifikation kann nicht gelesen werden (%2). Stellen Sie die Box aus ihrer Spezifikationsdatei neu bereit: boxctl deploy --spec FILE --redeploy</translation>
    </message>
</context>
<context>
    <name>bc::ui::DetailController</name>
    <message>
        <source>Show &amp;overview</source>
        <translation>&amp;Übersicht anzeigen</translation>
    </message>
    <message>
        <source>Show the selected box&apos;s overview (Enter)</source>
        <translation>Übersicht der ausgewählten Box anzeigen (Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Details pane</source>
        <translation>&amp;Detailbereich</translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation>&amp;Nächster Tab</translation>
    </message>
    <message>
        <source>&amp;Previous tab</source>
        <translation>&amp;Vorheriger Tab</translation>
    </message>
</context>
<context>
    <name>bc::ui::DockerEnginesBox</name>
    <message>
        <source>docker context</source>
        <translation>docker-Kontext</translation>
    </message>
    <message>
        <source>this context has no Docker endpoint</source>
        <translation>dieser Kontext hat keinen Docker-Endpunkt</translation>
    </message>
    <message>
        <source>Docker engines</source>
        <translation>Docker-Engines</translation>
    </message>
    <message>
        <source>unix:///path/docker.sock, tcp://host:2376 or ssh://user@host</source>
        <translation>unix:///pfad/docker.sock, tcp://host:2376 oder ssh://benutzer@host</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected added engine</source>
        <translation>Ausgewählte hinzugefügte Engine entfernen</translation>
    </message>
    <message>
        <source>added</source>
        <translation>hinzugefügt</translation>
    </message>
    <message>
        <source>not in the docker CLI&apos;s context store any more; untick it to forget it</source>
        <translation>nicht mehr im Kontextspeicher der docker-CLI; entfernen Sie den Haken, um ihn zu vergessen</translation>
    </message>
    <message>
        <source>cannot read the context store: %1</source>
        <translation>Kontextspeicher nicht lesbar: %1</translation>
    </message>
    <message>
        <source>The docker CLI&apos;s contexts could not be read: %1</source>
        <translation>Die Kontexte der docker-CLI konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Reading the docker CLI&apos;s contexts…</source>
        <translation>Kontexte der docker-CLI werden gelesen…</translation>
    </message>
    <message>
        <source>the docker CLI&apos;s current engine</source>
        <translation>die aktuelle Engine der docker-CLI</translation>
    </message>
    <message>
        <source>its current context “%1”</source>
        <translation>ihr aktueller Kontext „%1“</translation>
    </message>
    <message>
        <source>Following the docker CLI: %1 is used. Tick contexts or add engines to choose yourself.</source>
        <translation>Die Konsole folgt der docker-CLI: %1 wird verwendet. Haken Sie Kontexte an oder fügen Sie Engines hinzu, um selbst zu wählen.</translation>
    </message>
    <message>
        <source>Nothing selected: the console will follow the docker CLI (%1).</source>
        <translation>Nichts ausgewählt: Die Konsole folgt der docker-CLI (%1).</translation>
    </message>
    <message>
        <source>context “%1”</source>
        <translation>Kontext „%1“</translation>
    </message>
    <message>
        <source>Boxes of every engine shown are listed; new Docker boxes go to %1 (the first).</source>
        <translation>Die Boxen jeder angezeigten Engine werden aufgelistet; neue Docker-Boxen kommen auf %1 (die erste).</translation>
    </message>
    <message>
        <source>Type an engine address first, e.g. tcp://build-1.example.com:2376.</source>
        <translation>Geben Sie zuerst eine Engine-Adresse ein, z. B. tcp://build-1.example.com:2376.</translation>
    </message>
    <message>
        <source>“%1” is not an engine address: use unix:///path/docker.sock, tcp://host:2376 or ssh://user@host.</source>
        <translation>„%1“ ist keine Engine-Adresse: Verwenden Sie unix:///pfad/docker.sock, tcp://host:2376 oder ssh://benutzer@host.</translation>
    </message>
    <message>
        <source>Remove the password from the address: box-console stores addresses in its settings file. Use an ssh key or agent, or TLS client certificates.</source>
        <translation>Entfernen Sie das Passwort aus der Adresse: box-console speichert Adressen in seiner Einstellungsdatei. Verwenden Sie einen ssh-Schlüssel oder -Agenten oder TLS-Client-Zertifikate.</translation>
    </message>
    <message>
        <source>%1 is already in the list.</source>
        <translation>%1 steht bereits in der Liste.</translation>
    </message>
    <message>
        <source>%1 is the docker context “%2”: tick it instead.</source>
        <translation>%1 ist der docker-Kontext „%2“: Haken Sie stattdessen diesen an.</translation>
    </message>
    <message>
        <source>added, testing…</source>
        <translation>hinzugefügt, wird getestet…</translation>
    </message>
    <message>
        <source>added, reachable: Docker %1</source>
        <translation>hinzugefügt, erreichbar: Docker %1</translation>
    </message>
    <message>
        <source>not reachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>“%1” is a docker CLI context: untick “Show” to hide it here (`docker context rm` deletes it for the CLI too).</source>
        <translation>„%1“ ist ein Kontext der docker-CLI: Entfernen Sie den Haken bei „Anzeigen“, um ihn hier auszublenden (`docker context rm` löscht ihn auch für die CLI).</translation>
    </message>
</context>
<context>
    <name>bc::ui::EgressLogView</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Upstream</source>
        <translation>Upstream</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>No egress log is configured (setting egress/logFile or BOX_EGRESS_LOG).</source>
        <translation>Es ist kein Egress-Log eingerichtet (Einstellung egress/logFile oder BOX_EGRESS_LOG).</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>-</source>
        <translation>-</translation>
    </message>
    <message>
        <source>No egress requests of %1 in the log.</source>
        <translation>Keine Egress-Anfragen von %1 im Log.</translation>
    </message>
    <message numerus="yes">
        <source>%n recent request(s) of %1.</source>
        <translation>
            <numerusform>%n aktuelle Anfrage von %1.</numerusform>
            <numerusform>%n aktuelle Anfragen von %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bc::ui::EgressSettingsBox</name>
    <message>
        <source>Egress</source>
        <translation>Egress</translation>
    </message>
    <message>
        <source>The policy the host proxy is generated from; a box&apos;s egress setting picks upstreams of it.</source>
        <translation>Die Richtlinie, aus der der Proxy des Hosts erzeugt wird; die Egress-Einstellung einer Box wählt Upstreams daraus.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>The directory of the proxy&apos;s Unix sockets, mounted read-only into boxes with egress.</source>
        <translation>Das Verzeichnis der Unix-Sockets des Proxys, schreibgeschützt in Boxen mit Egress eingehängt.</translation>
    </message>
    <message>
        <source>Policy file:</source>
        <translation>Richtliniendatei:</translation>
    </message>
    <message>
        <source>Proxy sockets:</source>
        <translation>Proxy-Sockets:</translation>
    </message>
    <message>
        <source>Egress policy file</source>
        <translation>Egress-Richtliniendatei</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON-Dateien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Proxy socket directory</source>
        <translation>Proxy-Socket-Verzeichnis</translation>
    </message>
    <message>
        <source>Use an absolute path: deploys may run from another working directory.</source>
        <translation>Verwenden Sie einen absoluten Pfad: Bereitstellungen können aus einem anderen Arbeitsverzeichnis laufen.</translation>
    </message>
    <message>
        <source>This policy file cannot be used: %1</source>
        <translation>Diese Richtliniendatei ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>Use an absolute path.</source>
        <translation>Verwenden Sie einen absoluten Pfad.</translation>
    </message>
    <message>
        <source>%1 does not exist on this host (start the egress proxy first; Docker would create a root-owned directory instead)</source>
        <translation>%1 existiert auf diesem Host nicht (starten Sie zuerst den Egress-Proxy; Docker würde sonst ein Verzeichnis anlegen, das root gehört)</translation>
    </message>
    <message>
        <source>%1 is not a directory</source>
        <translation>%1 ist kein Verzeichnis</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>z. B. %1</translation>
    </message>
    <message>
        <source>empty: the environment&apos;s value applies</source>
        <translation>leer: Der Wert aus der Umgebung gilt</translation>
    </message>
    <message>
        <source>Source: this setting.</source>
        <translation>Quelle: diese Einstellung.</translation>
    </message>
    <message>
        <source>Source: this setting (overrides %1 from the environment).</source>
        <translation>Quelle: diese Einstellung (überschreibt %1 aus der Umgebung).</translation>
    </message>
    <message>
        <source>Source: environment, %1=%2</source>
        <translation>Quelle: Umgebung, %1=%2</translation>
    </message>
    <message>
        <source>Not set here nor in %1: %2</source>
        <translation>Weder hier noch in %1 gesetzt: %2</translation>
    </message>
    <message>
        <source>boxes cannot get egress.</source>
        <translation>Boxen können keinen Egress erhalten.</translation>
    </message>
    <message>
        <source>boxes with egress cannot be deployed.</source>
        <translation>Boxen mit Egress können nicht bereitgestellt werden.</translation>
    </message>
</context>
<context>
    <name>bc::ui::EmptyState</name>
    <message>
        <source>&lt;h3&gt;No boxes yet&lt;/h3&gt;&lt;p&gt;A box is a hardened container for one user. Deploy the first one, or add an engine in Settings.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Noch keine Boxen&lt;/h3&gt;&lt;p&gt;Eine Box ist ein gehärteter Container für einen Benutzer. Stellen Sie die erste bereit oder fügen Sie in den Einstellungen eine Engine hinzu.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Deploy a box…</source>
        <translation>Box be&amp;reitstellen…</translation>
    </message>
    <message>
        <source>Engines and settings…</source>
        <translation>Engines und Einstellungen…</translation>
    </message>
</context>
<context>
    <name>bc::ui::EndpointModel</name>
    <message>
        <source>Added engines are always shown; remove one to stop using it.</source>
        <translation>Hinzugefügte Engines werden immer angezeigt; entfernen Sie eine, um sie nicht mehr zu verwenden.</translation>
    </message>
    <message>
        <source>Show this engine&apos;s boxes in the console</source>
        <translation>Boxen dieser Engine in der Konsole anzeigen</translation>
    </message>
    <message>
        <source>This context cannot be used: %1</source>
        <translation>Dieser Kontext ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>(unreadable)</source>
        <translation>(nicht lesbar)</translation>
    </message>
    <message>
        <source>%1, current</source>
        <translation>%1, aktuell</translation>
    </message>
    <message>
        <source>The docker CLI uses this context now (docker context use)</source>
        <translation>Die docker-CLI verwendet derzeit diesen Kontext (docker context use)</translation>
    </message>
    <message>
        <source>Show the engine&apos;s boxes in the console</source>
        <translation>Boxen der Engine in der Konsole anzeigen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
</context>
<context>
    <name>bc::ui::FindingsModel</name>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>%1
expected: %2
actual: %3</source>
        <translation>%1
erwartet: %2
tatsächlich: %3</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>bc::ui::FleetPolicyEditor</name>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Idle stop</source>
        <translation>Leerlauf-Stopp</translation>
    </message>
    <message>
        <source>Max lifetime</source>
        <translation>Max. Lebensdauer</translation>
    </message>
    <message>
        <source>Delete after stopped</source>
        <translation>Löschen nach Stopp</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Besitzer</translation>
    </message>
    <message>
        <source>Max boxes</source>
        <translation>Max. Boxen</translation>
    </message>
    <message>
        <source>Max CPUs</source>
        <translation>Max. CPUs</translation>
    </message>
    <message>
        <source>Max memory</source>
        <translation>Max. Speicher</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Default policies per backend</source>
        <translation>Standardrichtlinien je Backend</translation>
    </message>
    <message>
        <source>Durations like 30m, 8h, 7d or seconds; 0 or empty = off. Backend &quot;*&quot; applies to every backend without its own row. A box&apos;s spec overrides each value.</source>
        <translation>Zeitspannen wie 30m, 8h, 7d oder Sekunden; 0 oder leer = aus. Backend „*“ gilt für jedes Backend ohne eigene Zeile. Die Spezifikation einer Box überschreibt jeden Wert.</translation>
    </message>
    <message>
        <source>Quotas per owner</source>
        <translation>Kontingente je Besitzer</translation>
    </message>
    <message>
        <source>Checked at every deploy, on every backend. Empty or 0 = no limit; memory like 16g. Owner &quot;*&quot; applies to every owner without a row of their own.</source>
        <translation>Bei jeder Bereitstellung auf jedem Backend geprüft. Leer oder 0 = kein Limit; Speicher z. B. 16g. Besitzer „*“ gilt für jeden Besitzer ohne eigene Zeile.</translation>
    </message>
    <message>
        <source>Alert webhooks</source>
        <translation>Alarm-Webhooks</translation>
    </message>
    <message>
        <source>The policy service posts alerts here. Kind plain (a JSON POST) or slack. https, or plain http to this machine only. URLs are kept in the secret store and shown shortened; type over one to replace it.</source>
        <translation>Der Richtliniendienst sendet Alarme hierhin. Art plain (ein JSON-POST) oder slack. https, oder einfaches http nur zu diesem Rechner. URLs liegen im Secret-Speicher und werden gekürzt angezeigt; überschreiben Sie eine, um sie zu ersetzen.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected row</source>
        <translation>Ausgewählte Zeile entfernen</translation>
    </message>
    <message>
        <source>Backends: %1</source>
        <translation>Backends: %1</translation>
    </message>
    <message>
        <source>The stored settings are invalid and are kept until you edit them here: %1</source>
        <translation>Die gespeicherten Einstellungen sind ungültig und bleiben erhalten, bis Sie sie hier bearbeiten: %1</translation>
    </message>
    <message>
        <source>a second row for the same backend</source>
        <translation>eine zweite Zeile für dasselbe Backend</translation>
    </message>
    <message>
        <source>expected a whole number, got %1</source>
        <translation>ganze Zahl erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>expected a number, got %1</source>
        <translation>Zahl erwartet, erhalten: %1</translation>
    </message>
    <message>
        <source>a second row for the same owner</source>
        <translation>eine zweite Zeile für denselben Besitzer</translation>
    </message>
    <message>
        <source>Kept in the secret store; only its start and end are shown. Type a new URL here to replace it.</source>
        <translation>Im Secret-Speicher abgelegt; nur Anfang und Ende werden angezeigt. Geben Sie hier eine neue URL ein, um sie zu ersetzen.</translation>
    </message>
    <message>
        <source>Still in clear in the settings file: Apply moves it to the secret store.</source>
        <translation>Noch im Klartext in der Einstellungsdatei: „Anwenden“ verschiebt sie in den Secret-Speicher.</translation>
    </message>
</context>
<context>
    <name>bc::ui::LogLineModel</name>
    <message>
        <source>⋯ %1 older lines dropped: this view keeps the newest %2 lines or %3 MiB of text</source>
        <translation>⋯ %1 ältere Zeilen verworfen: Diese Ansicht behält die neuesten %2 Zeilen oder %3 MiB Text</translation>
    </message>
    <message numerus="yes">
        <source> … [%n more characters]</source>
        <translation>
            <numerusform> … [%n weiteres Zeichen]</numerusform>
            <numerusform> … [%n weitere Zeichen]</numerusform>
        </translation>
    </message>
    <message>
        <source>stderr</source>
        <translation>stderr</translation>
    </message>
</context>
<context>
    <name>bc::ui::LogModel</name>
    <message numerus="yes">
        <source> … [%n more characters]</source>
        <translation>
            <numerusform> … [%n weiteres Zeichen]</numerusform>
            <numerusform> … [%n weitere Zeichen]</numerusform>
        </translation>
    </message>
    <message>
        <source>stderr</source>
        <translation>stderr</translation>
    </message>
</context>
<context>
    <name>bc::ui::LogView</name>
    <message>
        <source>Jump to live ↓</source>
        <translation>Zur Live-Ausgabe ↓</translation>
    </message>
    <message>
        <source>&amp;Timestamps</source>
        <translation>&amp;Zeitstempel</translation>
    </message>
    <message>
        <source>Rege&amp;x</source>
        <translation>Rege&amp;x</translation>
    </message>
    <message>
        <source>&amp;Wrap</source>
        <translation>&amp;Umbrechen</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Log-Zeilen</translation>
    </message>
    <message>
        <source>Search log (Enter: next, Shift+Enter: previous)</source>
        <translation>Log durchsuchen (Eingabe: nächster, Umschalt+Eingabe: vorheriger Treffer)</translation>
    </message>
    <message>
        <source>Search log</source>
        <translation>Log durchsuchen</translation>
    </message>
    <message>
        <source>Search with a regular expression (PCRE, case-insensitive)</source>
        <translation>Mit regulärem Ausdruck suchen (PCRE, ohne Unterscheidung von Groß- und Kleinschreibung)</translation>
    </message>
    <message>
        <source>Prefix each line with the engine&apos;s timestamp</source>
        <translation>Jeder Zeile den Zeitstempel der Engine voranstellen</translation>
    </message>
    <message>
        <source>Wrap long lines instead of scrolling sideways</source>
        <translation>Lange Zeilen umbrechen, statt seitlich zu scrollen</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>last </source>
        <translation>letzte </translation>
    </message>
    <message>
        <source> lines</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source>Lines to show</source>
        <translation>Anzuzeigende Zeilen</translation>
    </message>
    <message>
        <source>How many of the latest lines to read (0 = all)</source>
        <translation>Wie viele der neuesten Zeilen gelesen werden (0 = alle)</translation>
    </message>
    <message>
        <source>from the start</source>
        <translation>von Anfang an</translation>
    </message>
    <message>
        <source>last 5 minutes</source>
        <translation>letzte 5 Minuten</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>How far back to read</source>
        <translation>Wie weit zurück gelesen wird</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Hold new lines without losing them</source>
        <translation>Neue Zeilen zurückhalten, ohne sie zu verlieren</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Save log</source>
        <translation>Log speichern</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Log-Dateien (*.log *.txt)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Searching %1 lines…</source>
        <translation>%1 Zeilen werden durchsucht…</translation>
    </message>
    <message>
        <source>Invalid regular expression: %1</source>
        <translation>Ungültiger regulärer Ausdruck: %1</translation>
    </message>
    <message>
        <source>“%1” not found in %2 lines</source>
        <translation>„%1“ in %2 Zeilen nicht gefunden</translation>
    </message>
    <message>
        <source>“%1” not found</source>
        <translation>„%1“ nicht gefunden</translation>
    </message>
    <message>
        <source>Match %1 of %2 · line %3 of %4</source>
        <translation>Treffer %1 von %2 · Zeile %3 von %4</translation>
    </message>
    <message>
        <source>Saving %1 lines to %2…</source>
        <translation>%1 Zeilen werden in %2 gespeichert…</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>Speichern fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Saved %1 lines to %2</source>
        <translation>%1 Zeilen in %2 gespeichert</translation>
    </message>
    <message>
        <source>write failed</source>
        <translation>Schreiben fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>bc::ui::MainWindow</name>
    <message>
        <source>Box Console</source>
        <translation>Box Console</translation>
    </message>
    <message>
        <source>Box details</source>
        <translation>Box-Details</translation>
    </message>
    <message>
        <source>1 box</source>
        <translation>1 Box</translation>
    </message>
    <message>
        <source>%1 boxes</source>
        <translation>%1 Boxen</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message>
        <source> · %1 running</source>
        <translation> · %1 laufend</translation>
    </message>
    <message>
        <source> · 1 needs attention</source>
        <translation> · 1 braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source> · %1 need attention</source>
        <translation> · %1 brauchen Aufmerksamkeit</translation>
    </message>
</context>
<context>
    <name>bc::ui::PolicyFields</name>
    <message>
        <source>Idle stop after</source>
        <translation>Leerlauf-Stopp nach</translation>
    </message>
    <message>
        <source>Stop the box after this long without agent activity (an open terminal or log follow counts). 30m, 8h, 7d or seconds; 0 = never; empty = the backend&apos;s fleet default.</source>
        <translation>Die Box nach dieser Zeit ohne Agent-Aktivität stoppen (ein offenes Terminal oder ein verfolgtes Log zählt). 30m, 8h, 7d oder Sekunden; 0 = nie; leer = der Flottenstandard des Backends.</translation>
    </message>
    <message>
        <source>Maximum lifetime</source>
        <translation>Maximale Lebensdauer</translation>
    </message>
    <message>
        <source>Stop the box this long after it was created, whatever its activity. 0 = never; empty = the fleet default.</source>
        <translation>Die Box so lange nach ihrer Erstellung stoppen, unabhängig von ihrer Aktivität. 0 = nie; leer = der Flottenstandard.</translation>
    </message>
    <message>
        <source>Delete after stopped</source>
        <translation>Löschen nach Stopp</translation>
    </message>
    <message>
        <source>Delete the box this long after it stopped (its data volumes stay when it keeps its data). 0 = never; empty = the fleet default.</source>
        <translation>Die Box so lange nach ihrem Stopp löschen (ihre Daten-Volumes bleiben, wenn sie ihre Daten behält). 0 = nie; leer = der Flottenstandard.</translation>
    </message>
    <message>
        <source>Idle stop:</source>
        <translation>Leerlauf-Stopp:</translation>
    </message>
    <message>
        <source>Lifetime:</source>
        <translation>Lebensdauer:</translation>
    </message>
    <message>
        <source>Delete stopped:</source>
        <translation>Gestoppte löschen:</translation>
    </message>
    <message>
        <source>this box</source>
        <translation>diese Box</translation>
    </message>
    <message>
        <source>fleet default</source>
        <translation>Flottenstandard</translation>
    </message>
    <message>
        <source>idle stop after %1</source>
        <translation>Leerlauf-Stopp nach %1</translation>
    </message>
    <message>
        <source>stops %1 after creation</source>
        <translation>stoppt %1 nach der Erstellung</translation>
    </message>
    <message>
        <source>deleted %1 after it stopped</source>
        <translation>wird %1 nach dem Stopp gelöscht</translation>
    </message>
    <message>
        <source>Applies: no idle stop, no expiry, no automatic delete.</source>
        <translation>Es gilt: kein Leerlauf-Stopp, kein Ablauf, kein automatisches Löschen.</translation>
    </message>
    <message>
        <source>Applies: %1.</source>
        <translation>Es gilt: %1.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>default %1</source>
        <translation>Standard %1</translation>
    </message>
    <message>
        <source>stops %1 after each start (this backend reports no agent activity, so idle counts from the start)</source>
        <translation>stoppt %1 nach jedem Start (dieses Backend meldet keine Agent-Aktivität, daher zählt der Leerlauf ab dem Start)</translation>
    </message>
</context>
<context>
    <name>bc::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Deploying and refreshing</source>
        <translation>Bereitstellen und Aktualisieren</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>How often CPU and memory of running boxes are sampled (one request per box, never a stream per box).</source>
        <translation>Wie oft CPU und Speicher laufender Boxen abgefragt werden (eine Anfrage pro Box, nie ein Stream pro Box).</translation>
    </message>
    <message>
        <source>Full re-list besides the live event stream, to heal missed events.</source>
        <translation>Vollständiges Neuauflisten neben dem Live-Ereignisstrom, um verpasste Ereignisse auszugleichen.</translation>
    </message>
    <message>
        <source>New boxes go to:</source>
        <translation>Neue Boxen nach:</translation>
    </message>
    <message>
        <source>Stats every:</source>
        <translation>Statistik alle:</translation>
    </message>
    <message>
        <source>Full re-list every:</source>
        <translation>Neuauflistung alle:</translation>
    </message>
    <message>
        <source>Backends</source>
        <translation>Backends</translation>
    </message>
    <message>
        <source>Policies and quotas</source>
        <translation>Richtlinien und Kontingente</translation>
    </message>
    <message>
        <source>from DEPLOY_MODE (environment)</source>
        <translation>aus DEPLOY_MODE (Umgebung)</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>The webhook URLs could not be stored, so nothing was saved: %1</source>
        <translation>Die Webhook-URLs konnten nicht abgelegt werden, daher wurde nichts gespeichert: %1</translation>
    </message>
    <message>
        <source>Saved, but secrets of removed webhooks could not be removed from the secret store: %1</source>
        <translation>Gespeichert, aber die Secrets entfernter Webhooks konnten nicht aus dem Secret-Speicher entfernt werden: %1</translation>
    </message>
    <message>
        <source>The Coolify token could not be stored, so nothing was saved: %1</source>
        <translation>Das Coolify-Token konnte nicht abgelegt werden, daher wurde nichts gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>bc::ui::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
</context>
<context>
    <name>bc::ui::SparklineWidget</name>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>−%1 min</source>
        <translation>−%1 Min.</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>bc::ui::TerminalDock</name>
    <message>
        <source>Terminals</source>
        <translation>Terminals</translation>
    </message>
    <message>
        <source>Open &amp;terminal</source>
        <translation>&amp;Terminal öffnen</translation>
    </message>
    <message>
        <source>Open a terminal in the selected running box</source>
        <translation>Ein Terminal in der ausgewählten laufenden Box öffnen</translation>
    </message>
    <message>
        <source>Select a running box on a Docker engine to open a terminal</source>
        <translation>Wählen Sie eine laufende Box auf einer Docker-Engine, um ein Terminal zu öffnen</translation>
    </message>
</context>
<context>
    <name>bc::ui::TerminalTabs</name>
    <message>
        <source>Open terminal in %1</source>
        <translation>Terminal in %1 öffnen</translation>
    </message>
    <message>
        <source>Empty: the box&apos;s own user. root only where the box&apos;s profile allows it.</source>
        <translation>Leer: der eigene Benutzer der Box. root nur, wo das Profil der Box es erlaubt.</translation>
    </message>
    <message>
        <source>automatic (bash if present, else sh)</source>
        <translation>automatisch (bash, falls vorhanden, sonst sh)</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Shell:</source>
        <translation>Shell:</translation>
    </message>
    <message>
        <source> [exited]</source>
        <translation> [beendet]</translation>
    </message>
</context>
<context>
    <name>bc::ui::TerminalWidget</name>
    <message>
        <source>Find in scrollback (Enter: previous match, Esc: close)</source>
        <translation>Im Verlauf suchen (Eingabe: vorheriger Treffer, Esc: schließen)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Desktop console for agent boxes on Docker engines and Coolify.</source>
        <translation>Desktop-Konsole für Agent-Boxen auf Docker-Engines und Coolify.</translation>
    </message>
    <message>
        <source>Where new boxes go: coolify, docker, docker-dev.</source>
        <translation>Wohin neue Boxen kommen: coolify, docker, docker-dev.</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Docker engine URL (unix://, tcp://, ssh://).</source>
        <translation>URL der Docker-Engine (unix://, tcp://, ssh://).</translation>
    </message>
    <message>
        <source>url</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Docker CLI context to use.</source>
        <translation>Zu verwendender Kontext der Docker-CLI.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Coolify base URL.</source>
        <translation>Basis-URL von Coolify.</translation>
    </message>
</context>
</TS>
