<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>the pickle</source>
        <translation>pickle 数据</translation>
    </message>
    <message>
        <source>Unsafe: %1 in %2 of %3 — StateScope never runs it; export writes None in its place.</source>
        <translation>不安全：%3 的 %2 中含有 %1 —— StateScope 从不运行它；导出时会写入 None 代替。</translation>
    </message>
    <message>
        <source>Not weights-only: torch.load(weights_only=True) stops at %1 in %2 of %3. If you trust the file: torch.serialization.add_safe_globals([%4]). StateScope reads it without importing anything.</source>
        <translation>非 weights-only：torch.load(weights_only=True) 在 %3 的 %2 中停在 %1。如果您信任该文件：torch.serialization.add_safe_globals([%4])。StateScope 读取它时不导入任何内容。</translation>
    </message>
    <message>
        <source>Not weights-only: %1 uses pickle opcode %2, which torch.load(weights_only=True) does not read; no allowlist helps. Fix/export writes a file it reads.</source>
        <translation>非 weights-only：%1 使用了 pickle 操作码 %2，torch.load(weights_only=True) 无法读取；任何允许列表都无济于事。修复/导出会写出它能读取的文件。</translation>
    </message>
    <message>
        <source>torch.load cannot read %1 (%2). StateScope can; Fix/export writes a zip archive torch reads.</source>
        <translation>torch.load 无法读取 %1（%2）。StateScope 可以；修复/导出会写出 torch 能读取的 zip 归档。</translation>
    </message>
    <message>
        <source>%1 is a TorchScript archive: torch.load(weights_only=True) refuses it and torch.jit.load runs its code. StateScope reads it without running anything.</source>
        <translation>%1 是 TorchScript 归档：torch.load(weights_only=True) 拒绝它，而 torch.jit.load 会运行其代码。StateScope 读取它时不运行任何内容。</translation>
    </message>
</context>
<context>
    <name>statescope::ChangeChart</name>
    <message>
        <source>Logarithmic scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Relative change by tensor</source>
        <translation>各张量的相对变化</translation>
    </message>
    <message>
        <source>tensor (model order)</source>
        <translation>张量（按模型顺序）</translation>
    </message>
    <message>
        <source>relative L2 change</source>
        <translation>相对 L2 变化</translation>
    </message>
    <message>
        <source>%1
relative L2 change %2</source>
        <translation>%1
相对 L2 变化 %2</translation>
    </message>
    <message>
        <source>Compare values (Tools &gt; Compare Values) to see which tensors changed.</source>
        <translation>比较数值（工具 &gt; 比较数值）以查看哪些张量发生了变化。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n tensor(s) changed</source>
        <translation>
            <numerusform>%n 个张量中有 %1 个发生变化</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>statescope::CheckpointPane</name>
    <message>
        <source>State dict inside the file</source>
        <translation>文件内的 state dict</translation>
    </message>
    <message>
        <source>Drop a checkpoint here or use File &gt; Open.</source>
        <translation>将检查点拖放到此处，或使用“文件 &gt; 打开”。</translation>
    </message>
    <message>
        <source>Dangerous: torch.load would call %1. StateScope did not run it.</source>
        <translation>危险：torch.load 会调用 %1。StateScope 未运行它。</translation>
    </message>
    <message>
        <source>Only tensors and plain data: torch.load(weights_only=True) reads this file.</source>
        <translation>仅含张量和普通数据：torch.load(weights_only=True) 可以读取此文件。</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n tensors)</source>
        <translation>
            <numerusform>%1（%n 个张量）</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;根&gt;</translation>
    </message>
    <message>
        <source>%1 holds no state dict</source>
        <translation>%1 中没有 state dict</translation>
    </message>
    <message>
        <source>torch.load(weights_only=True) would refuse this file: it stops at %1.</source>
        <translation>torch.load(weights_only=True) 会拒绝此文件：它停在 %1。</translation>
    </message>
    <message>
        <source>torch.load(weights_only=True) would refuse this file: pickle opcode %1.</source>
        <translation>torch.load(weights_only=True) 会拒绝此文件：pickle 操作码 %1。</translation>
    </message>
    <message>
        <source>torch.load cannot read this file; StateScope can.</source>
        <translation>torch.load 无法读取此文件；StateScope 可以。</translation>
    </message>
    <message>
        <source>TorchScript: torch.load(weights_only=True) refuses it; torch.jit.load runs its code.</source>
        <translation>TorchScript：torch.load(weights_only=True) 拒绝它；torch.jit.load 会运行其代码。</translation>
    </message>
    <message>
        <source>Only tensors and JSON: no pickle, nothing in it can run.</source>
        <translation>只有张量和 JSON：没有 pickle，其中没有任何内容可以运行。</translation>
    </message>
</context>
<context>
    <name>statescope::CheckpointTreeModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>statescope::ContainerBrowser</name>
    <message>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Which file&apos;s content to show</source>
        <translation>要显示哪个文件的内容</translation>
    </message>
    <message>
        <source>Compare This State Dict</source>
        <translation>比较此 state dict</translation>
    </message>
    <message>
        <source>Use the selected state dict as this side&apos;s state dict</source>
        <translation>将所选 state dict 用作这一侧的 state dict</translation>
    </message>
    <message>
        <source>Open a checkpoint to see its epoch, optimizer and other non-tensor content.</source>
        <translation>打开检查点以查看其 epoch、优化器及其他非张量内容。</translation>
    </message>
</context>
<context>
    <name>statescope::DetailsPanel</name>
    <message>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>所选项</translation>
    </message>
    <message>
        <source>Changes by tensor</source>
        <translation>各张量的变化</translation>
    </message>
    <message>
        <source>Select a tensor or module to see both sides in detail.</source>
        <translation>选择一个张量或模块以查看两侧的详细信息。</translation>
    </message>
    <message>
        <source>(whole state dict)</source>
        <translation>（整个 state dict）</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>（不存在）</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Storage offset</source>
        <translation>存储偏移</translation>
    </message>
    <message>
        <source>Storage record</source>
        <translation>存储记录</translation>
    </message>
    <message>
        <source>Saved on</source>
        <translation>保存时的设备</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Shard</source>
        <translation>分片</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Statistics (finite values)</source>
        <translation>统计（有限值）</translation>
    </message>
    <message>
        <source>Computing...</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Elements</source>
        <translation>元素数</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>平均值</translation>
    </message>
    <message>
        <source>Std (unbiased)</source>
        <translation>标准差（无偏）</translation>
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
        <translation>零值数</translation>
    </message>
    <message>
        <source>Module totals</source>
        <translation>模块合计</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>张量数</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异数</translation>
    </message>
    <message>
        <source>Values (source vs target)</source>
        <translation>数值（源与目标对比）</translation>
    </message>
    <message>
        <source>Compared tensors</source>
        <translation>已比较的张量</translation>
    </message>
    <message>
        <source>Changed tensors</source>
        <translation>发生变化的张量</translation>
    </message>
    <message>
        <source>Largest relative change</source>
        <translation>最大相对变化</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Not compared</source>
        <translation>未比较</translation>
    </message>
    <message>
        <source>only pairs torch would copy with equal shapes are compared</source>
        <translation>仅比较 torch 会复制且形状相同的张量对</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Equal</source>
        <translation>相等</translation>
    </message>
    <message>
        <source>Max |a - b|</source>
        <translation>最大 |a - b|</translation>
    </message>
    <message>
        <source>Mean |a - b|</source>
        <translation>平均 |a - b|</translation>
    </message>
    <message>
        <source>Relative L2 ||a - b|| / ||b||</source>
        <translation>相对 L2 ||a - b|| / ||b||</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>allclose (rtol 1e-5, atol 1e-8)</source>
        <translation>allclose（rtol 1e-5，atol 1e-8）</translation>
    </message>
    <message>
        <source>Quantizer</source>
        <translation>量化器</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>After the rules</source>
        <translation>应用规则后</translation>
    </message>
    <message>
        <source>Waiting for the value comparison (Cancel in the status bar)...</source>
        <translation>正在等待数值比较完成（可在状态栏中取消）…</translation>
    </message>
</context>
<context>
    <name>statescope::DiffTreeModel</name>
    <message>
        <source>equal</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>filled by torch</source>
        <translation>由 torch 填充</translation>
    </message>
    <message>
        <source>ignored by torch</source>
        <translation>被 torch 忽略</translation>
    </message>
    <message>
        <source>mapped by a rule</source>
        <translation>由规则映射</translation>
    </message>
    <message>
        <source>values differ</source>
        <translation>数值不同</translation>
    </message>
    <message>
        <source>dtype differs</source>
        <translation>dtype 不同</translation>
    </message>
    <message>
        <source>unexpected (only in the source)</source>
        <translation>多余（仅在源中）</translation>
    </message>
    <message>
        <source>missing (only in the target)</source>
        <translation>缺失（仅在目标中）</translation>
    </message>
    <message>
        <source>shape mismatch</source>
        <translation>形状不匹配</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
</context>
<context>
    <name>statescope::ExportDialog</name>
    <message>
        <source>Export Fixed Checkpoint</source>
        <translation>导出修复后的检查点</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>PyTorch (torch.load)</source>
        <translation>PyTorch（torch.load）</translation>
    </message>
    <message>
        <source>safetensors (state dict only)</source>
        <translation>safetensors（仅 state dict）</translation>
    </message>
    <message>
        <source>Whole container (epoch, optimizer, ... kept)</source>
        <translation>整个容器（保留 epoch、优化器等）</translation>
    </message>
    <message>
        <source>State dict only</source>
        <translation>仅 state dict</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>输出(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>内容：</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消，未写入任何内容。</translation>
    </message>
    <message>
        <source>No repair rules: the state dict is written as the source has it.</source>
        <translation>没有修复规则：state dict 将按源中的原样写入。</translation>
    </message>
    <message>
        <source>Plan: %1.</source>
        <translation>计划：%1。</translation>
    </message>
    <message>
        <source>Lossless: every value is copied bit for bit.</source>
        <translation>无损：每个值都逐位复制。</translation>
    </message>
    <message>
        <source>Not lossless: casts, transposes or resizes change values.</source>
        <translation>有损：类型转换、转置或调整大小会改变数值。</translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;根&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) from %1.</source>
        <translation>
            <numerusform>来自 %1 的 %n 个张量。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a source and a target first.</source>
        <translation>请先打开源和目标。</translation>
    </message>
    <message>
        <source>Not loadable yet: after the plan, %1.load_state_dict(strict=True) would still fail (%2 missing, %3 unexpected, %4 size mismatch). The written file will fail the same way.</source>
        <translation>尚无法加载：应用计划后，%1.load_state_dict(strict=True) 仍会失败（缺失 %2 个，多余 %3 个，大小不匹配 %4 个）。写出的文件也会同样失败。</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors);;All files (*)</source>
        <translation>safetensors (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pt *.pth *.ckpt);;All files (*)</source>
        <translation>PyTorch 检查点 (*.pt *.pth *.ckpt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose where to write the fixed checkpoint.</source>
        <translation>请选择修复后检查点的保存位置。</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>已有导出正在进行。</translation>
    </message>
    <message>
        <source>starting...</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Writing %1...</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %1 (%n tensor(s), %2).</source>
        <translation>
            <numerusform>已写入 %1（%n 个张量，%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Replaced by None (they would run code on load): %1.</source>
        <translation>已替换为 None（加载时会运行代码）：%1。</translation>
    </message>
    <message>
        <source>%1.load_state_dict(strict=True) loads it.</source>
        <translation>%1.load_state_dict(strict=True) 可以加载它。</translation>
    </message>
    <message>
        <source>%1.load_state_dict(strict=True) would fail:</source>
        <translation>%1.load_state_dict(strict=True) 会失败：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Checking the changed plan against the target...</source>
        <translation>正在用目标检查更改后的计划…</translation>
    </message>
    <message>
        <source>The changed plan does not apply (%1); the export writes the last plan that did.</source>
        <translation>更改后的计划无法应用（%1）；导出将写入上一个可应用的计划。</translation>
    </message>
    <message>
        <source>The plan changed: export once its verdict is shown.</source>
        <translation>计划已更改：请在显示其结论后再导出。</translation>
    </message>
</context>
<context>
    <name>statescope::FileController</name>
    <message>
        <source>Drop a checkpoint here or use File &gt; Open.</source>
        <translation>将检查点拖放到此处，或使用“文件 &gt; 打开”。</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Read the open files again from disk</source>
        <translation>从磁盘重新读取已打开的文件</translation>
    </message>
    <message>
        <source>S&amp;wap Sides</source>
        <translation>交换两侧(&amp;W)</translation>
    </message>
    <message>
        <source>Make the source the target and the target the source</source>
        <translation>将源和目标互换</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Reload Changed Files &amp;Automatically</source>
        <translation>自动重新加载已更改的文件(&amp;A)</translation>
    </message>
    <message numerus="yes">
        <source>Opened the first two of %n dropped files</source>
        <translation>
            <numerusform>已打开拖入的 %n 个文件中的前两个</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 changed on disk: reloading</source>
        <translation>%1 已在磁盘上更改：正在重新加载</translation>
    </message>
    <message>
        <source>%1 changed on disk.</source>
        <translation>%1 已在磁盘上更改。</translation>
    </message>
    <message>
        <source>&lt;root&gt;</source>
        <translation>&lt;根&gt;</translation>
    </message>
    <message>
        <source>%1 no longer holds the state dict %2: comparing %3 instead</source>
        <translation>%1 不再包含 state dict %2：改为比较 %3</translation>
    </message>
</context>
<context>
    <name>statescope::HistogramPlot</name>
    <message>
        <source>Logarithmic counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <source>Value histogram</source>
        <translation>数值直方图</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
</context>
<context>
    <name>statescope::InfoBar</name>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Always reload</source>
        <translation>总是重新加载(&amp;A)</translation>
    </message>
    <message>
        <source>Reload open files whenever they change on disk (Settings &gt; Reload Changed Files Automatically)</source>
        <translation>已打开的文件在磁盘上更改时总是重新加载（设置 &gt; 自动重新加载已更改的文件）</translation>
    </message>
    <message>
        <source>Keep showing what was read before</source>
        <translation>继续显示之前读取的内容</translation>
    </message>
</context>
<context>
    <name>statescope::InspectorTools</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export Fixed Checkpoint...</source>
        <translation>导出修复后的检查点(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the repaired source as a torch or safetensors file and check that it loads</source>
        <translation>将修复后的源写为 torch 或 safetensors 文件，并检查能否加载</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>&amp;Container Browser</source>
        <translation>容器浏览器(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Paste torch &amp;Error...</source>
        <translation>粘贴 torch 错误(&amp;E)…</translation>
    </message>
    <message>
        <source>Mark the keys of a load_state_dict error pasted from a terminal</source>
        <translation>标记从终端粘贴的 load_state_dict 错误中的键</translation>
    </message>
    <message>
        <source>Paste Error...</source>
        <translation>粘贴错误…</translation>
    </message>
    <message>
        <source>Clear Pasted Error</source>
        <translation>清除粘贴的错误</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>请先打开源和目标</translation>
    </message>
    <message>
        <source>Pasted error for %1: %2 missing, %3 unexpected, %4 size mismatch; %5 marked in the trees.</source>
        <translation>%1 的粘贴错误：缺失 %2 个，多余 %3 个，大小不匹配 %4 个；已在树中标记 %5 个。</translation>
    </message>
    <message>
        <source>Missing (the model expects them; not in the source): %1</source>
        <translation>缺失（模型需要，但源中没有）：%1</translation>
    </message>
    <message>
        <source>Named in the error but in neither open file: %1</source>
        <translation>错误中提及，但不在任一已打开的文件中：%1</translation>
    </message>
</context>
<context>
    <name>statescope::JobProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop this job</source>
        <translation>停止此任务</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
</context>
<context>
    <name>statescope::LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>StateScope will use %1 from the next start.</source>
        <translation>StateScope 将在下次启动时使用 %1。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
</context>
<context>
    <name>statescope::MainWindow</name>
    <message>
        <source>Source (checkpoint being loaded)</source>
        <translation>源（要加载的检查点）</translation>
    </message>
    <message>
        <source>Target (what the model expects)</source>
        <translation>目标（模型期望的内容）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Source...</source>
        <translation>打开源(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Target...</source>
        <translation>打开目标(&amp;T)…</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>打开示例(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Filter keys: text, glob (*, ?) or re:regex</source>
        <translation>筛选键：文本、glob（*、?）或 re:正则表达式</translation>
    </message>
    <message>
        <source>Only differences</source>
        <translation>仅显示差异</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Load report</source>
        <translation>加载报告</translation>
    </message>
    <message>
        <source>Open a source and a target to see what load_state_dict(strict=True) would say.</source>
        <translation>打开源和目标，即可查看 load_state_dict(strict=True) 会报告什么。</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Next Difference</source>
        <translation>下一处差异(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Difference</source>
        <translation>上一处差异(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;First Difference</source>
        <translation>第一处差异(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Last Difference</source>
        <translation>最后一处差异(&amp;L)</translation>
    </message>
    <message>
        <source>%1 is on neither side</source>
        <translation>%1 不在任一侧</translation>
    </message>
    <message>
        <source>%1 is hidden by the filter</source>
        <translation>%1 已被筛选隐藏</translation>
    </message>
    <message>
        <source>No differences</source>
        <translation>无差异</translation>
    </message>
    <message>
        <source>The source loads into the target with strict=True</source>
        <translation>源可以用 strict=True 加载到目标中</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s): load_state_dict(strict=True) would fail</source>
        <translation>
            <numerusform>%n 处差异：load_state_dict(strict=True) 会失败</numerusform>
        </translation>
    </message>
    <message>
        <source>opening %1...</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Open Source Checkpoint</source>
        <translation>打开源检查点</translation>
    </message>
    <message>
        <source>Open Target</source>
        <translation>打开目标</translation>
    </message>
    <message>
        <source>Cannot write the demo checkpoints to %1</source>
        <translation>无法将示例检查点写入 %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详细信息(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Compare &amp;Values</source>
        <translation>比较数值(&amp;V)</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>请先打开源和目标</translation>
    </message>
    <message>
        <source>Compare the values of every tensor torch would copy (max difference, relative change, cosine)</source>
        <translation>比较 torch 会复制的每个张量的数值（最大差异、相对变化、余弦相似度）</translation>
    </message>
    <message>
        <source>Comparing values</source>
        <translation>正在比较数值</translation>
    </message>
    <message>
        <source>Value comparison cancelled</source>
        <translation>数值比较已取消</translation>
    </message>
    <message numerus="yes">
        <source>Values: %1 of %n compared tensor(s) differ</source>
        <translation>
            <numerusform>数值：已比较的 %n 个张量中有 %1 个不同</numerusform>
        </translation>
    </message>
    <message>
        <source>(the first differences are expanded; Alt+Down walks to the rest)</source>
        <translation>（已展开前面的差异；按 Alt+Down 逐个查看其余差异）</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.pt2 *.safetensors *.json);;All files (*)</source>
        <translation>检查点 (*.pt *.pth *.ckpt *.bin *.tar *.pt2 *.safetensors *.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>statescope::ObjectTreeModel</name>
    <message>
        <source>(file)</source>
        <translation>（文件）</translation>
    </message>
    <message>
        <source>Double-click to compare this state dict</source>
        <translation>双击以比较此 state dict</translation>
    </message>
    <message>
        <source>... %1 more</source>
        <translation>……还有 %1 项</translation>
    </message>
    <message numerus="yes">
        <source>state dict: %n tensors</source>
        <translation>
            <numerusform>state dict：%n 个张量</numerusform>
        </translation>
    </message>
    <message>
        <source>state dict</source>
        <translation>state dict</translation>
    </message>
    <message>
        <source>optimizer state</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>statescope::OverviewStrip</name>
    <message>
        <source>Where the differences are; click to go there</source>
        <translation>差异所在位置；单击可跳转</translation>
    </message>
</context>
<context>
    <name>statescope::PasteErrorDialog</name>
    <message>
        <source>Paste torch Error</source>
        <translation>粘贴 torch 错误</translation>
    </message>
    <message>
        <source>Paste what load_state_dict printed (the traceback may stay). The keys it names are marked in the trees, even without a target file.</source>
        <translation>粘贴 load_state_dict 输出的内容（可以保留 traceback）。其中提到的键会在树中标记出来，即使没有目标文件也可以。</translation>
    </message>
    <message>
        <source>&amp;Mark Keys</source>
        <translation>标记键(&amp;M)</translation>
    </message>
    <message>
        <source>No &quot;Error(s) in loading state_dict for ...&quot; message in the text.</source>
        <translation>文本中没有“Error(s) in loading state_dict for ...”消息。</translation>
    </message>
    <message>
        <source>The message names no missing, unexpected or mismatched keys.</source>
        <translation>该消息未提及任何缺失、多余或不匹配的键。</translation>
    </message>
</context>
<context>
    <name>statescope::PlanModel</name>
    <message>
        <source>Strip prefix %1</source>
        <translation>去除前缀 %1</translation>
    </message>
    <message>
        <source>Add prefix %1</source>
        <translation>添加前缀 %1</translation>
    </message>
    <message>
        <source>Add prefix %1 to keys matching %2</source>
        <translation>为匹配 %2 的键添加前缀 %1</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>将 %1 重命名为 %2</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>将 %1 映射到 %2</translation>
    </message>
    <message>
        <source>Drop keys matching %1</source>
        <translation>删除匹配 %1 的键</translation>
    </message>
    <message>
        <source>Cast %1 to the target&apos;s dtype</source>
        <translation>将 %1 转换为目标的 dtype</translation>
    </message>
    <message>
        <source>Cast %1 to %2</source>
        <translation>将 %1 转换为 %2</translation>
    </message>
    <message>
        <source>Transpose %1</source>
        <translation>转置 %1</translation>
    </message>
    <message>
        <source>Take %1 from the target</source>
        <translation>从目标获取 %1</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked where BatchNorm expects it</source>
        <translation>在 BatchNorm 需要的位置填充 num_batches_tracked</translation>
    </message>
    <message>
        <source>Resize %1 (slice or pad)</source>
        <translation>调整 %1 的大小（切片或填充）</translation>
    </message>
    <message numerus="yes">
        <source>Resize %1 (interpolate, %n prefix token(s))</source>
        <translation>
            <numerusform>调整 %1 的大小（插值，%n 个前缀 token）</numerusform>
        </translation>
    </message>
    <message>
        <source>Keeps every value bit for bit</source>
        <translation>逐位保留每个值</translation>
    </message>
    <message>
        <source>Changes tensor values or drops keys</source>
        <translation>会改变张量数值或删除键</translation>
    </message>
    <message>
        <source>Enable rule %1</source>
        <translation>启用规则 %1</translation>
    </message>
    <message>
        <source>Disable rule %1</source>
        <translation>禁用规则 %1</translation>
    </message>
</context>
<context>
    <name>statescope::PlotExport</name>
    <message>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Save Plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Save as &amp;PNG...</source>
        <translation>另存为 PNG(&amp;P)…</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Save as &amp;SVG...</source>
        <translation>另存为 SVG(&amp;S)…</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
</context>
<context>
    <name>statescope::RecentFiles</name>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 与 %2</translation>
    </message>
    <message>
        <source>(no recent files)</source>
        <translation>（无最近文件）</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近文件</translation>
    </message>
</context>
<context>
    <name>statescope::RepairController</name>
    <message>
        <source>Repair rules</source>
        <translation>修复规则</translation>
    </message>
    <message>
        <source>&amp;Rules Panel</source>
        <translation>规则面板(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Repair</source>
        <translation>修复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Suggest Repairs...</source>
        <translation>建议修复(&amp;S)…</translation>
    </message>
    <message>
        <source>Find prefixes, renames and fills that make the source load, with reasons</source>
        <translation>查找能让源成功加载的前缀、重命名和填充，并说明理由</translation>
    </message>
    <message>
        <source>Sa&amp;ve Rules...</source>
        <translation>保存规则(&amp;V)…</translation>
    </message>
    <message>
        <source>Save Rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Rules (*.json);;All files (*)</source>
        <translation>规则 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Load Rules...</source>
        <translation>加载规则(&amp;L)…</translation>
    </message>
    <message>
        <source>Load Rules</source>
        <translation>加载规则</translation>
    </message>
    <message>
        <source>Copy as &amp;Python</source>
        <translation>复制为 Python 代码(&amp;P)</translation>
    </message>
    <message>
        <source>Put a fix_state_dict(state_dict) function doing these rules on the clipboard</source>
        <translation>将执行这些规则的 fix_state_dict(state_dict) 函数复制到剪贴板</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Map module %1 to %2</source>
        <translation>将模块 %1 映射到 %2</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>将 %1 映射到 %2</translation>
    </message>
    <message>
        <source>&amp;Map to...</source>
        <translation>映射到(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Strip Prefix...</source>
        <translation>去除前缀(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Add Prefix...</source>
        <translation>添加前缀(&amp;A)…</translation>
    </message>
    <message>
        <source>Rename by &amp;Regex...</source>
        <translation>按正则表达式重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Drop</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Drop %1</source>
        <translation>删除 %1</translation>
    </message>
    <message>
        <source>&amp;Cast to</source>
        <translation>转换为(&amp;C)</translation>
    </message>
    <message>
        <source>The Target&apos;s Dtype</source>
        <translation>目标的 dtype</translation>
    </message>
    <message>
        <source>Cast %1 to %2</source>
        <translation>将 %1 转换为 %2</translation>
    </message>
    <message>
        <source>&amp;Transpose</source>
        <translation>转置(&amp;T)</translation>
    </message>
    <message>
        <source>Transpose %1</source>
        <translation>转置 %1</translation>
    </message>
    <message>
        <source>Take from Tar&amp;get</source>
        <translation>从目标获取(&amp;G)</translation>
    </message>
    <message>
        <source>Take %1 from the target</source>
        <translation>从目标获取 %1</translation>
    </message>
    <message>
        <source>Resi&amp;ze...</source>
        <translation>调整大小(&amp;Z)…</translation>
    </message>
    <message>
        <source>&amp;Fill num_batches_tracked</source>
        <translation>填充 num_batches_tracked(&amp;F)</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked</source>
        <translation>填充 num_batches_tracked</translation>
    </message>
    <message>
        <source>Edit rule %1</source>
        <translation>编辑规则 %1</translation>
    </message>
    <message>
        <source>Open a source and a target first</source>
        <translation>请先打开源和目标</translation>
    </message>
    <message>
        <source>Looking for repairs...</source>
        <translation>正在查找修复方案…</translation>
    </message>
    <message numerus="yes">
        <source>Accept %n suggestion(s)</source>
        <translation>
            <numerusform>接受 %n 条建议</numerusform>
        </translation>
    </message>
    <message>
        <source>StateScope</source>
        <translation>StateScope</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n rule(s) to %1</source>
        <translation>
            <numerusform>已将 %n 条规则保存到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Load rules from %1</source>
        <translation>从 %1 加载规则</translation>
    </message>
    <message>
        <source>fix_state_dict(state_dict, target_state_dict=None) is on the clipboard</source>
        <translation>fix_state_dict(state_dict, target_state_dict=None) 已复制到剪贴板</translation>
    </message>
    <message>
        <source>Map &amp;from...</source>
        <translation>从…映射(&amp;F)</translation>
    </message>
</context>
<context>
    <name>statescope::RuleDialog</name>
    <message>
        <source>Strip Prefix</source>
        <translation>去除前缀</translation>
    </message>
    <message>
        <source>Add Prefix</source>
        <translation>添加前缀</translation>
    </message>
    <message>
        <source>Rename by Regex</source>
        <translation>按正则表达式重命名</translation>
    </message>
    <message>
        <source>Map Key</source>
        <translation>映射键</translation>
    </message>
    <message>
        <source>Drop Keys</source>
        <translation>删除键</translation>
    </message>
    <message>
        <source>Cast</source>
        <translation>类型转换</translation>
    </message>
    <message>
        <source>Transpose</source>
        <translation>转置</translation>
    </message>
    <message>
        <source>Take from Target</source>
        <translation>从目标获取</translation>
    </message>
    <message>
        <source>Fill num_batches_tracked</source>
        <translation>填充 num_batches_tracked</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>调整大小</translation>
    </message>
    <message>
        <source>every key (optional regex)</source>
        <translation>所有键（可选正则表达式）</translation>
    </message>
    <message>
        <source>Python regex</source>
        <translation>Python 正则表达式</translation>
    </message>
    <message>
        <source>\1 and \g&lt;name&gt; refer to groups</source>
        <translation>\1 和 \g&lt;name&gt; 引用捕获组</translation>
    </message>
    <message>
        <source>a key of the target (type to complete)</source>
        <translation>目标中的键（输入时自动补全）</translation>
    </message>
    <message>
        <source>the target&apos;s dtype</source>
        <translation>目标的 dtype</translation>
    </message>
    <message>
        <source>Slice or pad (copy the overlap, rest from the target or zeros)</source>
        <translation>切片或填充（复制重叠部分，其余取自目标或填零）</translation>
    </message>
    <message>
        <source>Interpolate (bicubic on the square grid)</source>
        <translation>插值（在方形网格上双三次插值）</translation>
    </message>
    <message>
        <source>Leading tokens (class token, registers) kept as they are</source>
        <translation>保持不变的前导 token（class token、register）</translation>
    </message>
    <message>
        <source>&amp;Prefix:</source>
        <translation>前缀(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;From key:</source>
        <translation>源键(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;To key:</source>
        <translation>目标键(&amp;T)：</translation>
    </message>
    <message>
        <source>Keys &amp;matching:</source>
        <translation>匹配的键(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Replace with:</source>
        <translation>替换为(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Dtype:</source>
        <translation>dtype(&amp;D)：</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>模式(&amp;O)：</translation>
    </message>
    <message>
        <source>Prefix &amp;tokens:</source>
        <translation>前缀 token 数(&amp;T)：</translation>
    </message>
    <message>
        <source>Enter a prefix</source>
        <translation>请输入前缀</translation>
    </message>
    <message>
        <source>Enter both keys</source>
        <translation>请输入两个键</translation>
    </message>
    <message>
        <source>Enter a pattern (.* matches every key)</source>
        <translation>请输入模式（.* 匹配所有键）</translation>
    </message>
    <message>
        <source>Pattern: %1 at offset %2</source>
        <translation>模式：%1（位于偏移 %2）</translation>
    </message>
</context>
<context>
    <name>statescope::RulesPanel</name>
    <message>
        <source>No rules yet: drag a source key onto a target key, use a row&apos;s context menu, or Repair &gt; Suggest.</source>
        <translation>尚无规则：将源键拖到目标键上、使用行的右键菜单，或使用“修复 &gt; 建议修复”。</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Apply this rule earlier (Ctrl+Up)</source>
        <translation>提前应用此规则（Ctrl+Up）</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Apply this rule later (Ctrl+Down)</source>
        <translation>推后应用此规则（Ctrl+Down）</translation>
    </message>
    <message>
        <source>Edit...</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Change this rule (Enter, or double-click)</source>
        <translation>修改此规则（Enter 或双击）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this rule (Delete)</source>
        <translation>移除此规则（Delete）</translation>
    </message>
    <message>
        <source>The plan cannot apply: %1. Undo (Ctrl+Z) or change the rule.</source>
        <translation>无法应用计划：%1。请撤销（Ctrl+Z）或修改规则。</translation>
    </message>
    <message>
        <source>Move rule %1 to %2</source>
        <translation>将规则 %1 移至 %2</translation>
    </message>
    <message>
        <source>Delete rule: %1</source>
        <translation>删除规则：%1</translation>
    </message>
</context>
<context>
    <name>statescope::SuggestionsDialog</name>
    <message>
        <source>Suggested Repairs</source>
        <translation>建议的修复</translation>
    </message>
    <message>
        <source>No repair found: the remaining differences need a rule by hand.</source>
        <translation>未找到修复方案：其余差异需要手动添加规则。</translation>
    </message>
    <message>
        <source>Each suggestion applies after the ones above it. Lossless ones keep every value bit for bit.</source>
        <translation>每条建议都在其上方的建议之后应用。无损的建议会逐位保留每个值。</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Lossless</source>
        <translation>无损</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no (changes values)</source>
        <translation>否（会改变数值）</translation>
    </message>
    <message>
        <source>Accept &amp;Checked</source>
        <translation>接受选中项(&amp;C)</translation>
    </message>
    <message>
        <source>Accept &amp;All</source>
        <translation>全部接受(&amp;A)</translation>
    </message>
</context>
<context>
    <name>statescope::UnsafeBanner</name>
    <message>
        <source>Unsafe globals warning</source>
        <translation>不安全全局对象警告</translation>
    </message>
    <message>
        <source>Hide until another file is opened</source>
        <translation>隐藏，直到打开其他文件</translation>
    </message>
</context>
</TS>
