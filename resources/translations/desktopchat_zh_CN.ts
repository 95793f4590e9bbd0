<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>desktopchat: history unavailable</source>
        <translation>desktopchat：无法打开聊天记录</translation>
    </message>
    <message>
        <source>{problem}

The file was left untouched:
{file}</source>
        <translation>{problem}

该文件未做任何改动：
{file}</translation>
    </message>
    <message>
        <source>1 reply was cut off when the app last stopped; it is marked as interrupted.</source>
        <translation>上次退出时有 1 条回复被中断，已标记为“已中断”。</translation>
    </message>
    <message>
        <source>{count} replies were cut off when the app last stopped; they are marked as interrupted.</source>
        <translation>上次退出时有 {count} 条回复被中断，已标记为“已中断”。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>No usable keyring. You can use a key for this run only.</source>
        <translation>没有可用的密钥环。你可以输入一个仅本次运行有效的密钥。</translation>
    </message>
</context>
<context>
    <name>ArchiveExport</name>
    <message>
        <source>Exporting everything…</source>
        <translation>正在全部导出…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export all</source>
        <translation>全部导出</translation>
    </message>
    <message>
        <source>Exported 1 conversation ({size}) to {path}</source>
        <translation>已将 1 个对话（{size}）导出到 {path}</translation>
    </message>
    <message>
        <source>Exported {count} conversations ({size}) to {path}</source>
        <translation>已将 {count} 个对话（{size}）导出到 {path}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>未写入任何内容。</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written.</source>
        <translation>导出已取消：未写入任何内容。</translation>
    </message>
    <message>
        <source>Zip archive (*.zip)</source>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Start a conversation: type below and press Enter.</source>
        <translation>开始对话：在下方输入内容，按 Enter 发送。</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Unwrap</source>
        <translation>不换行</translation>
    </message>
    <message>
        <source>Wrap</source>
        <translation>自动换行</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
</context>
<context>
    <name>CrashHook</name>
    <message>
        <source>desktopchat: unexpected error</source>
        <translation>desktopchat：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong: {error}

Your history is safe. Details were written to the log.</source>
        <translation>出错了：{error}

你的聊天记录安全无损，详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>DailyBackup</name>
    <message>
        <source>The daily backup failed (trying again in an hour): {0}</source>
        <translation>每日备份失败（一小时后重试）：{0}</translation>
    </message>
</context>
<context>
    <name>DesktopTray</name>
    <message>
        <source>Show desktopchat</source>
        <translation>显示 desktopchat</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Explain a concept in simple words, with an example</source>
        <translation>用通俗的话解释一个概念，并举个例子</translation>
    </message>
    <message>
        <source>Summarise the text I paste next in five bullet points</source>
        <translation>把我接下来粘贴的文字总结成五个要点</translation>
    </message>
    <message>
        <source>Write a Python function that removes duplicate lines</source>
        <translation>写一个去除重复行的 Python 函数</translation>
    </message>
    <message>
        <source>Draft a short, friendly email declining a meeting</source>
        <translation>起草一封简短友好的邮件，婉拒一次会议</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line, Ctrl+Shift+A attaches files.</source>
        <translation>Enter 发送，Shift+Enter 换行，Ctrl+Shift+A 添加附件。</translation>
    </message>
    <message>
        <source>Ctrl+Enter sends, Enter adds a line, Ctrl+Shift+A attaches files.</source>
        <translation>Ctrl+Enter 发送，Enter 换行，Ctrl+Shift+A 添加附件。</translation>
    </message>
    <message>
        <source>Later, Ctrl+F finds text in the chat.</source>
        <translation>之后可以用 Ctrl+F 在对话中查找文字。</translation>
    </message>
    <message>
        <source>No profile yet: add one in Settings (Ctrl+,).</source>
        <translation>还没有配置：请在设置中添加一个（Ctrl+,）。</translation>
    </message>
    <message>
        <source>the server&apos;s default model</source>
        <translation>服务器的默认模型</translation>
    </message>
    <message>
        <source>{profile} · {model}</source>
        <translation>{profile} · {model}</translation>
    </message>
    <message>
        <source>Put this prompt in the message box</source>
        <translation>将此提示填入输入框</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Deleted folder “{0}”</source>
        <translation>已删除文件夹“{0}”</translation>
    </message>
    <message>
        <source>Move to folder</source>
        <translation>移到文件夹</translation>
    </message>
    <message>
        <source>No folder (top level)</source>
        <translation>不放入文件夹（顶层）</translation>
    </message>
    <message>
        <source>New folder…</source>
        <translation>新建文件夹…</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>折叠</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete folder</source>
        <translation>删除文件夹</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Make a folder; drag chats onto it to file them</source>
        <translation>新建文件夹；把对话拖到文件夹上即可归入</translation>
    </message>
</context>
<context>
    <name>HistorySearchBox</name>
    <message>
        <source>Search chats (Ctrl+K)</source>
        <translation>搜索对话（Ctrl+K）</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>没有匹配结果</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Search failed: {0}</source>
        <translation>搜索失败：{0}</translation>
    </message>
</context>
<context>
    <name>HistoryWaitWindow</name>
    <message>
        <source>Your history is locked by another program, so desktopchat cannot open it yet. Nothing has been changed. It opens as soon as the other program lets go: desktopchat tries again every few seconds, or press Retry.</source>
        <translation>聊天记录正被另一个程序占用，desktopchat 暂时无法打开。没有做任何改动。对方程序释放后即可打开：desktopchat 每隔几秒会自动重试，你也可以点击“重试”。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>{problem}
The file was left untouched: {path}</source>
        <translation>{problem}
该文件未做任何改动：{path}</translation>
    </message>
    <message>
        <source>Trying…</source>
        <translation>正在重试…</translation>
    </message>
</context>
<context>
    <name>MarkdownImages</name>
    <message>
        <source>[image not shown: {name} is {size}, over the {limit} limit]</source>
        <translation>[图片未显示：{name} 大小为 {size}，超过 {limit} 的上限]</translation>
    </message>
    <message>
        <source>[image: {name}, arriving…]</source>
        <translation>[图片：{name}，接收中…]</translation>
    </message>
    <message>
        <source>[image: {name}, loading…]</source>
        <translation>[图片：{name}，加载中…]</translation>
    </message>
    <message>
        <source>[image not shown: {name} is {pixels} megapixels, over the {limit} MP limit]</source>
        <translation>[图片未显示：{name} 为 {pixels} 百万像素，超过 {limit} 百万像素的上限]</translation>
    </message>
    <message>
        <source>[image not shown: {name} could not be read]</source>
        <translation>[图片未显示：无法读取 {name}]</translation>
    </message>
</context>
<context>
    <name>MessageActionBar</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy the message (C)</source>
        <translation>复制消息（C）</translation>
    </message>
    <message>
        <source>Edit and send again as a new version (E)</source>
        <translation>编辑并作为新版本重新发送（E）</translation>
    </message>
    <message>
        <source>Continue: the model writes on where this reply stopped</source>
        <translation>继续：模型从这条回复停下的地方接着写</translation>
    </message>
    <message>
        <source>Regenerate: a new version of this reply; this one is kept (R)</source>
        <translation>重新生成：为这条回复生成新版本，当前版本会保留（R）</translation>
    </message>
    <message>
        <source>Previous version (Alt+Left)</source>
        <translation>上一个版本（Alt+←）</translation>
    </message>
    <message>
        <source>Next version (Alt+Right)</source>
        <translation>下一个版本（Alt+→）</translation>
    </message>
    <message>
        <source>Delete this version (Delete; Undo in the status bar)</source>
        <translation>删除此版本（Delete；可在状态栏撤销）</translation>
    </message>
    <message>
        <source>Delete this message and everything below it (Delete; Undo in the status bar)</source>
        <translation>删除此消息及其后的所有内容（Delete；可在状态栏撤销）</translation>
    </message>
</context>
<context>
    <name>MessageChrome</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
</context>
<context>
    <name>MessageFooter</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>PreferencesForm</name>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>按 Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Notify me when a reply finishes while the window is in the background</source>
        <translation>窗口在后台时，回复完成后通知我</translation>
    </message>
    <message>
        <source>Back up the history every day</source>
        <translation>每天备份聊天记录</translation>
    </message>
    <message>
        <source>A new language applies when desktopchat next starts.</source>
        <translation>新的语言将在下次启动 desktopchat 时生效。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Default profile</source>
        <translation>默认配置</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Backups kept</source>
        <translation>保留备份数</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>ReplyNotes</name>
    <message>
        <source>{count} more</source>
        <translation>另有 {count} 个</translation>
    </message>
    <message>
        <source>Called {calls}</source>
        <translation>已调用 {calls}</translation>
    </message>
    <message>
        <source>Stopped before the model sent any text.</source>
        <translation>在模型发送任何文字之前已停止。</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>The model sent no text (finish reason: {reason}).</source>
        <translation>模型没有返回文字（结束原因：{reason}）。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Stopped. Continue writes on in this reply; Regenerate writes a new version beside it.</source>
        <translation>已停止。“继续”会在这条回复中接着写；“重新生成”会在旁边写一个新版本。</translation>
    </message>
</context>
<context>
    <name>ReplyNotifier</name>
    <message>
        <source>Reply finished</source>
        <translation>回复已完成</translation>
    </message>
    <message>
        <source>Reply stopped</source>
        <translation>回复已停止</translation>
    </message>
    <message>
        <source>Reply failed</source>
        <translation>回复失败</translation>
    </message>
</context>
<context>
    <name>TranscriptInput</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>以 Markdown 格式复制</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
</context>
<context>
    <name>WindowIcons</name>
    <message>
        <source>Show or hide the sidebar (Ctrl+B)</source>
        <translation>显示或隐藏侧边栏（Ctrl+B）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置（Ctrl+,）</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export conversation as Markdown…</source>
        <translation>将对话导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export conversation as JSON…</source>
        <translation>将对话导出为 JSON…</translation>
    </message>
    <message>
        <source>Copy conversation as Markdown</source>
        <translation>以 Markdown 格式复制对话</translation>
    </message>
    <message>
        <source>Export all…</source>
        <translation>全部导出…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>Search history</source>
        <translation>搜索历史记录</translation>
    </message>
    <message>
        <source>Copy last reply</source>
        <translation>复制最后一条回复</translation>
    </message>
    <message>
        <source>Regenerate last reply</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Tools for this chat…</source>
        <translation>本对话的工具…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show sidebar</source>
        <translation>显示侧边栏</translation>
    </message>
</context>
</TS>
