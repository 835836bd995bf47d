<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>QObject</name>
    <message>
        <source>the pickle</source>
        <translation>dem Pickle</translation>
    </message>
    <message>
        <source>Unsafe: %1 in %2 of %3 — StateScope never runs it; export writes None in its place.</source>
        <translation>Unsicher: %1 in %2 von %3 – StateScope führt es nie aus; beim Export wird stattdessen None geschrieben.</translation>
    </message>
    <message>
        <source>Not weights-only: torch.load(weights_only=True) stops at %1 in %2 of %3. If you trust the file: torch.serialization.add_safe_globals([%4]). StateScope reads it without importing anything.</source>
        <translation>Nicht weights-only: torch.load(weights_only=True) bricht bei %1 in %2 von %3 ab. Wenn Sie der Datei vertrauen: torch.serialization.add_safe_globals([%4]). StateScope liest sie, ohne etwas zu importieren.</translation>
    </message>
    <message>
        <source>Not weights-only: %1 uses pickle opcode %2, which torch.load(weights_only=True) does not read; no allowlist helps. Fix/export writes a file it reads.</source>
        <translation>Nicht weights-only: %1 verwendet den Pickle-Opcode %2, den torch.load(weights_only=True) nicht liest; keine Allowlist hilft. Reparieren/Exportieren schreibt eine Datei, die es liest.</translation>
    </message>
    <message>
        <source>torch.load cannot read %1 (%2). StateScope can; Fix/export writes a zip archive torch reads.</source>
        <translation>torch.load kann %1 nicht lesen (%2). StateScope kann es; Reparieren/Exportieren schreibt ein Zip-Archiv, das torch liest.</translation>
    </message>
    <message>
        <source>%1 is a TorchScript archive: torch.load(weights_only=True) refuses it and torch.jit.load runs its code. StateScope reads it without running anything.</source>
        <translation>%1 ist ein TorchScript-Archiv: torch.load(weights_only=True) lehnt es ab, und torch.jit.load führt seinen Code aus. StateScope liest es, ohne etwas auszuführen.</translation>
    </message>
</context>
<context>
    <name>statescope::ChangeChart</name>
    <message>
        <source>Logarithmic scale</source>
        <translation>Logarithmische Skala</translation>
    </message>
    <message>
        <source>Relative change by tensor</source>
        <translation>Relative Änderung je Tensor</translation>
    </message>
    <message>
        <source>tensor (model order)</source>
        <translation>Tensor (Reihenfolge im Modell)</translation>
    </message>
    <message>
        <source>relative L2 change</source>
        <translation>relative L2-Änderung</translation>
    </message>
    <message>
        <source>%1
relative L2 change %2</source>
        <translation>%1
relative L2-Änderung %2</translation>
    </message>
    <message>
        <source>Compare values (Tools &gt; Compare Values) to see which tensors changed.</source>
        <translation>Vergleichen Sie die Werte (Extras &gt; Werte vergleichen), um zu sehen, welche Tensoren sich geändert haben.</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n tensor(s) changed</source>
        <translation>
            <numerusform>%1 von %n Tensor geändert</numerusform>
            <numerusform>%1 von %n Tensoren geändert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>statescope::CheckpointPane</name>
    <message>
        <source>State dict inside the file</source>
        <translation>State Dict in der Datei</translation>
    </message>
    <message>
        <source>Drop a checkpoint here or use File &gt; Open.</source>
        <translation>Ziehen Sie einen Checkpoint hierher oder verwenden Sie Datei &gt; Öffnen.</translation>
    </message>
    <message>
        <source>Dangerous: torch.load would call %1. StateScope did not run it.</source>
        <translation>Gefährlich: torch.load würde %1 aufrufen. StateScope hat es nicht ausgeführt.</translation>
    </message>
    <message>
        <source>Only tensors and plain data: torch.load(weights_only=True) reads this file.</source>
        <translation>Nur Tensoren und einfache Daten: torch.load(weights_only=True) kann diese Datei lesen.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n tensors)</source>
        <translation>
            <numerusform>%1 (%n Tensor)</numerusform>
            <numerusform>%1 (%n Tensoren)</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;Wurzel&gt;</translation>
    </message>
    <message>
        <source>%1 holds no state dict</source>
        <translation>%1 enthält kein State Dict</translation>
    </message>
    <message>
        <source>torch.load(weights_only=True) would refuse this file: it stops at %1.</source>
        <translation>torch.load(weights_only=True) würde diese Datei ablehnen: es bricht bei %1 ab.</translation>
    </message>
    <message>
        <source>torch.load(weights_only=True) would refuse this file: pickle opcode %1.</source>
        <translation>torch.load(weights_only=True) würde diese Datei ablehnen: Pickle-Opcode %1.</translation>
    </message>
    <message>
        <source>torch.load cannot read this file; StateScope can.</source>
        <translation>torch.load kann diese Datei nicht lesen; StateScope kann es.</translation>
    </message>
    <message>
        <source>TorchScript: torch.load(weights_only=True) refuses it; torch.jit.load runs its code.</source>
        <translation>TorchScript: torch.load(weights_only=True) lehnt es ab; torch.jit.load führt seinen Code aus.</translation>
    </message>
    <message>
        <source>Only tensors and JSON: no pickle, nothing in it can run.</source>
        <translation>Nur Tensoren und JSON: kein Pickle, nichts darin kann ausgeführt werden.</translation>
    </message>
</context>
<context>
    <name>statescope::CheckpointTreeModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Gerät</translation>
    </message>
</context>
<context>
    <name>statescope::ContainerBrowser</name>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Which file&apos;s content to show</source>
        <translation>Datei, deren Inhalt angezeigt wird</translation>
    </message>
    <message>
        <source>Compare This State Dict</source>
        <translation>Dieses State Dict vergleichen</translation>
    </message>
    <message>
        <source>Use the selected state dict as this side&apos;s state dict</source>
        <translation>Das ausgewählte State Dict für diese Seite verwenden</translation>
    </message>
    <message>
        <source>Open a checkpoint to see its epoch, optimizer and other non-tensor content.</source>
        <translation>Öffnen Sie einen Checkpoint, um Epoche, Optimizer und andere Inhalte außer Tensoren zu sehen.</translation>
    </message>
</context>
<context>
    <name>statescope::DetailsPanel</name>
    <message>
        <source>Property</source>
        <translation>Eigenschaft</translation>
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
        <source>Selected</source>
        <translation>Auswahl</translation>
    </message>
    <message>
        <source>Changes by tensor</source>
        <translation>Änderungen je Tensor</translation>
    </message>
    <message>
        <source>Select a tensor or module to see both sides in detail.</source>
        <translation>Wählen Sie einen Tensor oder ein Modul aus, um beide Seiten im Detail zu sehen.</translation>
    </message>
    <message>
        <source>(whole state dict)</source>
        <translation>(gesamtes State Dict)</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(nicht vorhanden)</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>Stride</translation>
    </message>
    <message>
        <source>Storage offset</source>
        <translation>Storage-Offset</translation>
    </message>
    <message>
        <source>Storage record</source>
        <translation>Storage-Eintrag</translation>
    </message>
    <message>
        <source>Saved on</source>
        <translation>Gespeichert auf</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Shard</source>
        <translation>Shard</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>Statistics (finite values)</source>
        <translation>Statistik (endliche Werte)</translation>
    </message>
    <message>
        <source>Computing...</source>
        <translation>Wird berechnet …</translation>
    </message>
    <message>
        <source>Elements</source>
        <translation>Elemente</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Min.</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max.</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>Std (unbiased)</source>
        <translation>Standardabw. (erwartungstreu)</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>Inf</source>
        <translation>Inf</translation>
    </message>
    <message>
        <source>Zeros</source>
        <translation>Nullen</translation>
    </message>
    <message>
        <source>Module totals</source>
        <translation>Summen des Moduls</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>Tensoren</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>Unterschiede</translation>
    </message>
    <message>
        <source>Values (source vs target)</source>
        <translation>Werte (Quelle vs. Ziel)</translation>
    </message>
    <message>
        <source>Compared tensors</source>
        <translation>Verglichene Tensoren</translation>
    </message>
    <message>
        <source>Changed tensors</source>
        <translation>Geänderte Tensoren</translation>
    </message>
    <message>
        <source>Largest relative change</source>
        <translation>Größte relative Änderung</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Not compared</source>
        <translation>Nicht verglichen</translation>
    </message>
    <message>
        <source>only pairs torch would copy with equal shapes are compared</source>
        <translation>verglichen werden nur Paare gleicher Form, die torch kopieren würde</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Equal</source>
        <translation>Gleich</translation>
    </message>
    <message>
        <source>Max |a - b|</source>
        <translation>Max. |a - b|</translation>
    </message>
    <message>
        <source>Mean |a - b|</source>
        <translation>Mittel |a - b|</translation>
    </message>
    <message>
        <source>Relative L2 ||a - b|| / ||b||</source>
        <translation>Relatives L2 ||a - b|| / ||b||</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>Kosinus-Ähnlichkeit</translation>
    </message>
    <message>
        <source>allclose (rtol 1e-5, atol 1e-8)</source>
        <translation>allclose (rtol 1e-5, atol 1e-8)</translation>
    </message>
    <message>
        <source>Quantizer</source>
        <translation>Quantisierer</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>unterschiedlich</translation>
    </message>
    <message>
        <source>After the rules</source>
        <translation>Nach den Regeln</translation>
    </message>
    <message>
        <source>Waiting for the value comparison (Cancel in the status bar)...</source>
        <translation>Wartet auf den Wertevergleich (Abbrechen in der Statusleiste) …</translation>
    </message>
</context>
<context>
    <name>statescope::DiffTreeModel</name>
    <message>
        <source>equal</source>
        <translation>gleich</translation>
    </message>
    <message>
        <source>filled by torch</source>
        <translation>von torch befüllt</translation>
    </message>
    <message>
        <source>ignored by torch</source>
        <translation>von torch ignoriert</translation>
    </message>
    <message>
        <source>mapped by a rule</source>
        <translation>durch eine Regel abgebildet</translation>
    </message>
    <message>
        <source>values differ</source>
        <translation>Werte verschieden</translation>
    </message>
    <message>
        <source>dtype differs</source>
        <translation>dtype verschieden</translation>
    </message>
    <message>
        <source>unexpected (only in the source)</source>
        <translation>unerwartet (nur in der Quelle)</translation>
    </message>
    <message>
        <source>missing (only in the target)</source>
        <translation>fehlt (nur im Ziel)</translation>
    </message>
    <message>
        <source>shape mismatch</source>
        <translation>Form passt nicht</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
</context>
<context>
    <name>statescope::ExportDialog</name>
    <message>
        <source>Export Fixed Checkpoint</source>
        <translation>Reparierten Checkpoint exportieren</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>PyTorch (torch.load)</source>
        <translation>PyTorch (torch.load)</translation>
    </message>
    <message>
        <source>safetensors (state dict only)</source>
        <translation>safetensors (nur State Dict)</translation>
    </message>
    <message>
        <source>Whole container (epoch, optimizer, ... kept)</source>
        <translation>Ganzer Container (Epoche, Optimizer, … bleiben erhalten)</translation>
    </message>
    <message>
        <source>State dict only</source>
        <translation>Nur State Dict</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Ausgabe:</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>Inhalt:</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>Export abgebrochen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>No repair rules: the state dict is written as the source has it.</source>
        <translation>Keine Reparaturregeln: Das State Dict wird so geschrieben, wie es in der Quelle vorliegt.</translation>
    </message>
    <message>
        <source>Plan: %1.</source>
        <translation>Plan: %1.</translation>
    </message>
    <message>
        <source>Lossless: every value is copied bit for bit.</source>
        <translation>Verlustfrei: Jeder Wert wird bitgenau kopiert.</translation>
    </message>
    <message>
        <source>Not lossless: casts, transposes or resizes change values.</source>
        <translation>Nicht verlustfrei: Konvertierungen, Transpositionen oder Größenänderungen verändern Werte.</translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;Wurzel&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) from %1.</source>
        <translation>
            <numerusform>%n Tensor aus %1.</numerusform>
            <numerusform>%n Tensoren aus %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a source and a target first.</source>
        <translation>Öffnen Sie zuerst eine Quelle und ein Ziel.</translation>
    </message>
    <message>
        <source>Not loadable yet: after the plan, %1.load_state_dict(strict=True) would still fail (%2 missing, %3 unexpected, %4 size mismatch). The written file will fail the same way.</source>
        <translation>Noch nicht ladbar: Nach dem Plan würde %1.load_state_dict(strict=True) weiterhin fehlschlagen (%2 fehlend, %3 unerwartet, %4 mit falscher Größe). Die geschriebene Datei wird genauso fehlschlagen.</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors);;All files (*)</source>
        <translation>safetensors (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pt *.pth *.ckpt);;All files (*)</source>
        <translation>PyTorch-Checkpoints (*.pt *.pth *.ckpt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose where to write the fixed checkpoint.</source>
        <translation>Wählen Sie, wohin der reparierte Checkpoint geschrieben werden soll.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>Es läuft bereits ein Export.</translation>
    </message>
    <message>
        <source>starting...</source>
        <translation>wird gestartet …</translation>
    </message>
    <message>
        <source>Writing %1...</source>
        <translation>%1 wird geschrieben …</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %1 (%n tensor(s), %2).</source>
        <translation>
            <numerusform>%1 geschrieben (%n Tensor, %2).</numerusform>
            <numerusform>%1 geschrieben (%n Tensoren, %2).</numerusform>
        </translation>
    </message>
    <message>
        <source>Replaced by None (they would run code on load): %1.</source>
        <translation>Durch None ersetzt (sie würden beim Laden Code ausführen): %1.</translation>
    </message>
    <message>
        <source>%1.load_state_dict(strict=True) loads it.</source>
        <translation>%1.load_state_dict(strict=True) lädt die Datei.</translation>
    </message>
    <message>
        <source>%1.load_state_dict(strict=True) would fail:</source>
        <translation>%1.load_state_dict(strict=True) würde fehlschlagen:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Checking the changed plan against the target...</source>
        <translation>Der geänderte Plan wird gegen das Ziel geprüft …</translation>
    </message>
    <message>
        <source>The changed plan does not apply (%1); the export writes the last plan that did.</source>
        <translation>Der geänderte Plan ist nicht anwendbar (%1); der Export schreibt den letzten Plan, der es war.</translation>
    </message>
    <message>
        <source>The plan changed: export once its verdict is shown.</source>
        <translation>Der Plan hat sich geändert: exportieren, sobald sein Ergebnis angezeigt wird.</translation>
    </message>
</context>
<context>
    <name>statescope::FileController</name>
    <message>
        <source>Drop a checkpoint here or use File &gt; Open.</source>
        <translation>Ziehen Sie einen Checkpoint hierher oder verwenden Sie Datei &gt; Öffnen.</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Zuletzt &amp;geöffnet</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>Read the open files again from disk</source>
        <translation>Die geöffneten Dateien erneut vom Datenträger lesen</translation>
    </message>
    <message>
        <source>S&amp;wap Sides</source>
        <translation>Seiten &amp;tauschen</translation>
    </message>
    <message>
        <source>Make the source the target and the target the source</source>
        <translation>Die Quelle zum Ziel und das Ziel zur Quelle machen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>Reload Changed Files &amp;Automatically</source>
        <translation>Geänderte Dateien &amp;automatisch neu laden</translation>
    </message>
    <message numerus="yes">
        <source>Opened the first two of %n dropped files</source>
        <translation>
            <numerusform>Die ersten beiden von %n abgelegten Dateien geöffnet</numerusform>
            <numerusform>Die ersten beiden von %n abgelegten Dateien geöffnet</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 changed on disk: reloading</source>
        <translation>%1 wurde auf dem Datenträger geändert: wird neu geladen</translation>
    </message>
    <message>
        <source>%1 changed on disk.</source>
        <translation>%1 wurde auf dem Datenträger geändert.</translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;Wurzel&gt;</translation>
    </message>
    <message>
        <source>%1 no longer holds the state dict %2: comparing %3 instead</source>
        <translation>%1 enthält das State Dict %2 nicht mehr: stattdessen wird %3 verglichen</translation>
    </message>
</context>
<context>
    <name>statescope::HistogramPlot</name>
    <message>
        <source>Logarithmic counts</source>
        <translation>Logarithmische Häufigkeiten</translation>
    </message>
    <message>
        <source>Value histogram</source>
        <translation>Werte-Histogramm</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
</context>
<context>
    <name>statescope::InfoBar</name>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>&amp;Always reload</source>
        <translation>&amp;Immer neu laden</translation>
    </message>
    <message>
        <source>Reload open files whenever they change on disk (Settings &gt; Reload Changed Files Automatically)</source>
        <translation>Geöffnete Dateien immer neu laden, wenn sie sich auf dem Datenträger ändern (Einstellungen &gt; Geänderte Dateien automatisch neu laden)</translation>
    </message>
    <message>
        <source>Keep showing what was read before</source>
        <translation>Weiterhin den zuvor gelesenen Stand anzeigen</translation>
    </message>
</context>
<context>
    <name>statescope::InspectorTools</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Export Fixed Checkpoint...</source>
        <translation>Reparierten Checkpoint &amp;exportieren …</translation>
    </message>
    <message>
        <source>Write the repaired source as a torch or safetensors file and check that it loads</source>
        <translation>Die reparierte Quelle als torch- oder safetensors-Datei schreiben und prüfen, ob sie sich laden lässt</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>&amp;Container Browser</source>
        <translation>&amp;Container-Browser</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>Paste torch &amp;Error...</source>
        <translation>torch-&amp;Fehler einfügen …</translation>
    </message>
    <message>
        <source>Mark the keys of a load_state_dict error pasted from a terminal</source>
        <translation>Die Schlüssel einer aus dem Terminal eingefügten load_state_dict-Fehlermeldung markieren</translation>
    </message>
    <message>
        <source>Paste Error...</source>
        <translation>Fehler einfügen …</translation>
    </message>
    <message>
        <source>Clear Pasted Error</source>
        <translation>Eingefügten Fehler entfernen</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>Öffnen Sie zuerst eine Quelle und ein Ziel</translation>
    </message>
    <message>
        <source>Pasted error for %1: %2 missing, %3 unexpected, %4 size mismatch; %5 marked in the trees.</source>
        <translation>Eingefügter Fehler für %1: %2 fehlend, %3 unerwartet, %4 mit falscher Größe; %5 in den Bäumen markiert.</translation>
    </message>
    <message>
        <source>Missing (the model expects them; not in the source): %1</source>
        <translation>Fehlend (vom Modell erwartet, nicht in der Quelle): %1</translation>
    </message>
    <message>
        <source>Named in the error but in neither open file: %1</source>
        <translation>Im Fehler genannt, aber in keiner geöffneten Datei: %1</translation>
    </message>
</context>
<context>
    <name>statescope::JobProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this job</source>
        <translation>Diesen Vorgang abbrechen</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
</context>
<context>
    <name>statescope::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>StateScope will use %1 from the next start.</source>
        <translation>StateScope verwendet %1 ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
</context>
<context>
    <name>statescope::MainWindow</name>
    <message>
        <source>Source (checkpoint being loaded)</source>
        <translation>Quelle (zu ladender Checkpoint)</translation>
    </message>
    <message>
        <source>Target (what the model expects)</source>
        <translation>Ziel (was das Modell erwartet)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Source...</source>
        <translation>&amp;Quelle öffnen …</translation>
    </message>
    <message>
        <source>Open &amp;Target...</source>
        <translation>&amp;Ziel öffnen …</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>&amp;Demo öffnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>Filter keys: text, glob (*, ?) or re:regex</source>
        <translation>Schlüssel filtern: Text, glob (*, ?) oder re:regex</translation>
    </message>
    <message>
        <source>Only differences</source>
        <translation>Nur Unterschiede</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Load report</source>
        <translation>Ladebericht</translation>
    </message>
    <message>
        <source>Open a source and a target to see what load_state_dict(strict=True) would say.</source>
        <translation>Öffnen Sie eine Quelle und ein Ziel, um zu sehen, was load_state_dict(strict=True) melden würde.</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>&amp;Next Difference</source>
        <translation>&amp;Nächster Unterschied</translation>
    </message>
    <message>
        <source>&amp;Previous Difference</source>
        <translation>&amp;Vorheriger Unterschied</translation>
    </message>
    <message>
        <source>&amp;First Difference</source>
        <translation>&amp;Erster Unterschied</translation>
    </message>
    <message>
        <source>&amp;Last Difference</source>
        <translation>&amp;Letzter Unterschied</translation>
    </message>
    <message>
        <source>%1 is on neither side</source>
        <translation>%1 ist auf keiner Seite vorhanden</translation>
    </message>
    <message>
        <source>%1 is hidden by the filter</source>
        <translation>%1 wird vom Filter ausgeblendet</translation>
    </message>
    <message>
        <source>No differences</source>
        <translation>Keine Unterschiede</translation>
    </message>
    <message>
        <source>The source loads into the target with strict=True</source>
        <translation>Die Quelle lässt sich mit strict=True in das Ziel laden</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s): load_state_dict(strict=True) would fail</source>
        <translation>
            <numerusform>%n Unterschied: load_state_dict(strict=True) würde fehlschlagen</numerusform>
            <numerusform>%n Unterschiede: load_state_dict(strict=True) würde fehlschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>opening %1...</source>
        <translation>%1 wird geöffnet …</translation>
    </message>
    <message>
        <source>Open Source Checkpoint</source>
        <translation>Quell-Checkpoint öffnen</translation>
    </message>
    <message>
        <source>Open Target</source>
        <translation>Ziel öffnen</translation>
    </message>
    <message>
        <source>Cannot write the demo checkpoints to %1</source>
        <translation>Die Demo-Checkpoints können nicht nach %1 geschrieben werden</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>E&amp;xtras</translation>
    </message>
    <message>
        <source>Compare &amp;Values</source>
        <translation>&amp;Werte vergleichen</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>Öffnen Sie zuerst eine Quelle und ein Ziel</translation>
    </message>
    <message>
        <source>Compare the values of every tensor torch would copy (max difference, relative change, cosine)</source>
        <translation>Die Werte aller Tensoren vergleichen, die torch kopieren würde (maximale Differenz, relative Änderung, Kosinus)</translation>
    </message>
    <message>
        <source>Comparing values</source>
        <translation>Werte werden verglichen</translation>
    </message>
    <message>
        <source>Value comparison cancelled</source>
        <translation>Wertevergleich abgebrochen</translation>
    </message>
    <message numerus="yes">
        <source>Values: %1 of %n compared tensor(s) differ</source>
        <translation>
            <numerusform>Werte: %1 von %n verglichenen Tensor verschieden</numerusform>
            <numerusform>Werte: %1 von %n verglichenen Tensoren verschieden</numerusform>
        </translation>
    </message>
    <message>
        <source>(the first differences are expanded; Alt+Down walks to the rest)</source>
        <translation>(die ersten Unterschiede sind aufgeklappt; Alt+Down führt zu den übrigen)</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.pt2 *.safetensors *.json);;All files (*)</source>
        <translation>Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.pt2 *.safetensors *.json);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>statescope::ObjectTreeModel</name>
    <message>
        <source>(file)</source>
        <translation>(Datei)</translation>
    </message>
    <message>
        <source>Double-click to compare this state dict</source>
        <translation>Doppelklicken, um dieses State Dict zu vergleichen</translation>
    </message>
    <message>
        <source>... %1 more</source>
        <translation>… %1 weitere</translation>
    </message>
    <message numerus="yes">
        <source>state dict: %n tensors</source>
        <translation>
            <numerusform>State Dict: %n Tensor</numerusform>
            <numerusform>State Dict: %n Tensoren</numerusform>
        </translation>
    </message>
    <message>
        <source>state dict</source>
        <translation>State Dict</translation>
    </message>
    <message>
        <source>optimizer state</source>
        <translation>Optimizer-Zustand</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
</context>
<context>
    <name>statescope::OverviewStrip</name>
    <message>
        <source>Where the differences are; click to go there</source>
        <translation>Wo die Unterschiede liegen; zum Hinspringen klicken</translation>
    </message>
</context>
<context>
    <name>statescope::PasteErrorDialog</name>
    <message>
        <source>Paste torch Error</source>
        <translation>torch-Fehler einfügen</translation>
    </message>
    <message>
        <source>Paste what load_state_dict printed (the traceback may stay). The keys it names are marked in the trees, even without a target file.</source>
        <translation>Fügen Sie ein, was load_state_dict ausgegeben hat (der Traceback darf dabeibleiben). Die darin genannten Schlüssel werden in den Bäumen markiert, auch ohne Zieldatei.</translation>
    </message>
    <message>
        <source>&amp;Mark Keys</source>
        <translation>Schlüssel &amp;markieren</translation>
    </message>
    <message>
        <source>No &quot;Error(s) in loading state_dict for ...&quot; message in the text.</source>
        <translation>Keine Meldung „Error(s) in loading state_dict for ...“ im Text.</translation>
    </message>
    <message>
        <source>The message names no missing, unexpected or mismatched keys.</source>
        <translation>Die Meldung nennt keine fehlenden, unerwarteten oder nicht passenden Schlüssel.</translation>
    </message>
</context>
<context>
    <name>statescope::PlanModel</name>
    <message>
        <source>Strip prefix %1</source>
        <translation>Präfix %1 entfernen</translation>
    </message>
    <message>
        <source>Add prefix %1</source>
        <translation>Präfix %1 hinzufügen</translation>
    </message>
    <message>
        <source>Add prefix %1 to keys matching %2</source>
        <translation>Präfix %1 zu Schlüsseln hinzufügen, die auf %2 passen</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>%1 in %2 umbenennen</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>%1 auf %2 abbilden</translation>
    </message>
    <message>
        <source>Drop keys matching %1</source>
        <translation>Schlüssel verwerfen, die auf %1 passen</translation>
    </message>
    <message>
        <source>Cast %1 to the target&apos;s dtype</source>
        <translation>%1 in den dtype des Ziels konvertieren</translation>
    </message>
    <message>
        <source>Cast %1 to %2</source>
        <translation>%1 in %2 konvertieren</translation>
    </message>
    <message>
        <source>Transpose %1</source>
        <translation>%1 transponieren</translation>
    </message>
    <message>
        <source>Take %1 from the target</source>
        <translation>%1 aus dem Ziel übernehmen</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked where BatchNorm expects it</source>
        <translation>num_batches_tracked auffüllen, wo BatchNorm es erwartet</translation>
    </message>
    <message>
        <source>Resize %1 (slice or pad)</source>
        <translation>Größe von %1 ändern (abschneiden oder auffüllen)</translation>
    </message>
    <message numerus="yes">
        <source>Resize %1 (interpolate, %n prefix token(s))</source>
        <translation>
            <numerusform>Größe von %1 ändern (interpolieren, %n Präfix-Token)</numerusform>
            <numerusform>Größe von %1 ändern (interpolieren, %n Präfix-Tokens)</numerusform>
        </translation>
    </message>
    <message>
        <source>Keeps every value bit for bit</source>
        <translation>Behält jeden Wert bitgenau bei</translation>
    </message>
    <message>
        <source>Changes tensor values or drops keys</source>
        <translation>Ändert Tensorwerte oder verwirft Schlüssel</translation>
    </message>
    <message>
        <source>Enable rule %1</source>
        <translation>Regel %1 aktivieren</translation>
    </message>
    <message>
        <source>Disable rule %1</source>
        <translation>Regel %1 deaktivieren</translation>
    </message>
</context>
<context>
    <name>statescope::PlotExport</name>
    <message>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Save Plot</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>Save as &amp;PNG...</source>
        <translation>Als &amp;PNG speichern …</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Save as &amp;SVG...</source>
        <translation>Als &amp;SVG speichern …</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG-Bilder (*.svg)</translation>
    </message>
</context>
<context>
    <name>statescope::RecentFiles</name>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 vs. %2</translation>
    </message>
    <message>
        <source>(no recent files)</source>
        <translation>(keine zuletzt geöffneten Dateien)</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>Liste leeren</translation>
    </message>
</context>
<context>
    <name>statescope::RepairController</name>
    <message>
        <source>Repair rules</source>
        <translation>Reparaturregeln</translation>
    </message>
    <message>
        <source>&amp;Rules Panel</source>
        <translation>&amp;Reparaturregeln</translation>
    </message>
    <message>
        <source>&amp;Repair</source>
        <translation>&amp;Reparatur</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Suggest Repairs...</source>
        <translation>Reparaturen &amp;vorschlagen …</translation>
    </message>
    <message>
        <source>Find prefixes, renames and fills that make the source load, with reasons</source>
        <translation>Präfixe, Umbenennungen und Ergänzungen finden, mit denen sich die Quelle laden lässt, samt Begründung</translation>
    </message>
    <message>
        <source>Sa&amp;ve Rules...</source>
        <translation>Regeln &amp;speichern …</translation>
    </message>
    <message>
        <source>Save Rules</source>
        <translation>Regeln speichern</translation>
    </message>
    <message>
        <source>Rules (*.json);;All files (*)</source>
        <translation>Regeln (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Load Rules...</source>
        <translation>Regeln &amp;laden …</translation>
    </message>
    <message>
        <source>Load Rules</source>
        <translation>Regeln laden</translation>
    </message>
    <message>
        <source>Copy as &amp;Python</source>
        <translation>Als &amp;Python kopieren</translation>
    </message>
    <message>
        <source>Put a fix_state_dict(state_dict) function doing these rules on the clipboard</source>
        <translation>Eine Funktion fix_state_dict(state_dict), die diese Regeln ausführt, in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>Reparatur</translation>
    </message>
    <message>
        <source>Map module %1 to %2</source>
        <translation>Modul %1 auf %2 abbilden</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>%1 auf %2 abbilden</translation>
    </message>
    <message>
        <source>&amp;Map to...</source>
        <translation>&amp;Abbilden auf …</translation>
    </message>
    <message>
        <source>&amp;Strip Prefix...</source>
        <translation>Präfix &amp;entfernen …</translation>
    </message>
    <message>
        <source>&amp;Add Prefix...</source>
        <translation>Präfix &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Rename by &amp;Regex...</source>
        <translation>Per &amp;Regex umbenennen …</translation>
    </message>
    <message>
        <source>&amp;Drop</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>Drop %1</source>
        <translation>%1 verwerfen</translation>
    </message>
    <message>
        <source>&amp;Cast to</source>
        <translation>&amp;Konvertieren in</translation>
    </message>
    <message>
        <source>The Target&apos;s Dtype</source>
        <translation>dtype des Ziels</translation>
    </message>
    <message>
        <source>Cast %1 to %2</source>
        <translation>%1 in %2 konvertieren</translation>
    </message>
    <message>
        <source>&amp;Transpose</source>
        <translation>&amp;Transponieren</translation>
    </message>
    <message>
        <source>Transpose %1</source>
        <translation>%1 transponieren</translation>
    </message>
    <message>
        <source>Take from Tar&amp;get</source>
        <translation>Aus dem Ziel über&amp;nehmen</translation>
    </message>
    <message>
        <source>Take %1 from the target</source>
        <translation>%1 aus dem Ziel übernehmen</translation>
    </message>
    <message>
        <source>Resi&amp;ze...</source>
        <translation>&amp;Größe ändern …</translation>
    </message>
    <message>
        <source>&amp;Fill num_batches_tracked</source>
        <translation>num_batches_tracked a&amp;uffüllen</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked</source>
        <translation>num_batches_tracked auffüllen</translation>
    </message>
    <message>
        <source>Edit rule %1</source>
        <translation>Regel %1 bearbeiten</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>Öffnen Sie zuerst eine Quelle und ein Ziel</translation>
    </message>
    <message>
        <source>Looking for repairs...</source>
        <translation>Reparaturen werden gesucht …</translation>
    </message>
    <message numerus="yes">
        <source>Accept %n suggestion(s)</source>
        <translation>
            <numerusform>%n Vorschlag übernehmen</numerusform>
            <numerusform>%n Vorschläge übernehmen</numerusform>
        </translation>
    </message>
    <message>
        <source>StateScope</source>
        <translation>StateScope</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n rule(s) to %1</source>
        <translation>
            <numerusform>%n Regel in %1 gespeichert</numerusform>
            <numerusform>%n Regeln in %1 gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <source>Load rules from %1</source>
        <translation>Regeln aus %1 laden</translation>
    </message>
    <message>
        <source>fix_state_dict(state_dict, target_state_dict=None) is on the clipboard</source>
        <translation>fix_state_dict(state_dict, target_state_dict=None) wurde in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Map &amp;from...</source>
        <translation>Abbilden &amp;von …</translation>
    </message>
</context>
<context>
    <name>statescope::RuleDialog</name>
    <message>
        <source>Strip Prefix</source>
        <translation>Präfix entfernen</translation>
    </message>
    <message>
        <source>Add Prefix</source>
        <translation>Präfix hinzufügen</translation>
    </message>
    <message>
        <source>Rename by Regex</source>
        <translation>Per Regex umbenennen</translation>
    </message>
    <message>
        <source>Map Key</source>
        <translation>Schlüssel abbilden</translation>
    </message>
    <message>
        <source>Drop Keys</source>
        <translation>Schlüssel verwerfen</translation>
    </message>
    <message>
        <source>Cast</source>
        <translation>Konvertieren</translation>
    </message>
    <message>
        <source>Transpose</source>
        <translation>Transponieren</translation>
    </message>
    <message>
        <source>Take from Target</source>
        <translation>Aus dem Ziel übernehmen</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked</source>
        <translation>num_batches_tracked auffüllen</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>Größe ändern</translation>
    </message>
    <message>
        <source>every key (optional regex)</source>
        <translation>jeder Schlüssel (optionaler Regex)</translation>
    </message>
    <message>
        <source>Python regex</source>
        <translation>Python-Regex</translation>
    </message>
    <message>
        <source>\1 and \g&lt;name&gt; refer to groups</source>
        <translation>\1 und \g&lt;name&gt; verweisen auf Gruppen</translation>
    </message>
    <message>
        <source>a key of the target (type to complete)</source>
        <translation>ein Schlüssel des Ziels (Eingabe wird vervollständigt)</translation>
    </message>
    <message>
        <source>the target&apos;s dtype</source>
        <translation>dtype des Ziels</translation>
    </message>
    <message>
        <source>Slice or pad (copy the overlap, rest from the target or zeros)</source>
        <translation>Abschneiden oder auffüllen (Überlappung kopieren, Rest aus dem Ziel oder Nullen)</translation>
    </message>
    <message>
        <source>Interpolate (bicubic on the square grid)</source>
        <translation>Interpolieren (bikubisch auf dem quadratischen Raster)</translation>
    </message>
    <message>
        <source>Leading tokens (class token, registers) kept as they are</source>
        <translation>Führende Tokens (Klassen-Token, Register), die unverändert bleiben</translation>
    </message>
    <message>
        <source>&amp;Prefix:</source>
        <translation>&amp;Präfix:</translation>
    </message>
    <message>
        <source>&amp;From key:</source>
        <translation>&amp;Von Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;To key:</source>
        <translation>&amp;Nach Schlüssel:</translation>
    </message>
    <message>
        <source>Keys &amp;matching:</source>
        <translation>Passende &amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Replace with:</source>
        <translation>&amp;Ersetzen durch:</translation>
    </message>
    <message>
        <source>&amp;Dtype:</source>
        <translation>&amp;dtype:</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>&amp;Modus:</translation>
    </message>
    <message>
        <source>Prefix &amp;tokens:</source>
        <translation>Präfix-&amp;Tokens:</translation>
    </message>
    <message>
        <source>Enter a prefix</source>
        <translation>Geben Sie ein Präfix ein</translation>
    </message>
    <message>
        <source>Enter both keys</source>
        <translation>Geben Sie beide Schlüssel ein</translation>
    </message>
    <message>
        <source>Enter a pattern (.* matches every key)</source>
        <translation>Geben Sie ein Muster ein (.* passt auf jeden Schlüssel)</translation>
    </message>
    <message>
        <source>Pattern: %1 at offset %2</source>
        <translation>Muster: %1 an Position %2</translation>
    </message>
</context>
<context>
    <name>statescope::RulesPanel</name>
    <message>
        <source>No rules yet: drag a source key onto a target key, use a row&apos;s context menu, or Repair &gt; Suggest.</source>
        <translation>Noch keine Regeln: Ziehen Sie einen Quellschlüssel auf einen Zielschlüssel, verwenden Sie das Kontextmenü einer Zeile oder Reparatur &gt; Reparaturen vorschlagen.</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Apply this rule earlier (Ctrl+Up)</source>
        <translation>Diese Regel früher anwenden (Ctrl+Up)</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Apply this rule later (Ctrl+Down)</source>
        <translation>Diese Regel später anwenden (Ctrl+Down)</translation>
    </message>
    <message>
        <source>Edit...</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Change this rule (Enter, or double-click)</source>
        <translation>Diese Regel ändern (Enter oder Doppelklick)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Remove this rule (Delete)</source>
        <translation>Diese Regel entfernen (Delete)</translation>
    </message>
    <message>
        <source>The plan cannot apply: %1. Undo (Ctrl+Z) or change the rule.</source>
        <translation>Der Plan lässt sich nicht anwenden: %1. Machen Sie die Änderung rückgängig (Ctrl+Z) oder ändern Sie die Regel.</translation>
    </message>
    <message>
        <source>Move rule %1 to %2</source>
        <translation>Regel %1 an Position %2 verschieben</translation>
    </message>
    <message>
        <source>Delete rule: %1</source>
        <translation>Regel löschen: %1</translation>
    </message>
</context>
<context>
    <name>statescope::SuggestionsDialog</name>
    <message>
        <source>Suggested Repairs</source>
        <translation>Vorgeschlagene Reparaturen</translation>
    </message>
    <message>
        <source>No repair found: the remaining differences need a rule by hand.</source>
        <translation>Keine Reparatur gefunden: Die verbleibenden Unterschiede erfordern eine von Hand erstellte Regel.</translation>
    </message>
    <message>
        <source>Each suggestion applies after the ones above it. Lossless ones keep every value bit for bit.</source>
        <translation>Jeder Vorschlag wird nach den darüberstehenden angewendet. Verlustfreie Vorschläge behalten jeden Wert bitgenau bei.</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>Reparatur</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <source>Lossless</source>
        <translation>Verlustfrei</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no (changes values)</source>
        <translation>nein (ändert Werte)</translation>
    </message>
    <message>
        <source>Accept &amp;Checked</source>
        <translation>&amp;Markierte übernehmen</translation>
    </message>
    <message>
        <source>Accept &amp;All</source>
        <translation>&amp;Alle übernehmen</translation>
    </message>
</context>
<context>
    <name>statescope::UnsafeBanner</name>
    <message>
        <source>Unsafe globals warning</source>
        <translation>Warnung vor unsicheren Globals</translation>
    </message>
    <message>
        <source>Hide until another file is opened</source>
        <translation>Ausblenden, bis eine andere Datei geöffnet wird</translation>
    </message>
</context>
</TS>
