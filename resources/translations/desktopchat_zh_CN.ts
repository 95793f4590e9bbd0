<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About desktopchat</source>
        <translation>关于 desktopchat</translation>
    </message>
    <message>
        <source>desktopchat {version}</source>
        <translation>desktopchat {version}</translation>
    </message>
    <message>
        <source>A desktop chat client for OpenAI-compatible streaming endpoints. Licensed under the {licence} licence.</source>
        <translation>一款适用于 OpenAI 兼容流式接口的桌面聊天客户端。以 {licence} 许可证发布。</translation>
    </message>
    <message>
        <source>Settings folder</source>
        <translation>设置文件夹</translation>
    </message>
    <message>
        <source>Data folder (history)</source>
        <translation>数据文件夹（聊天记录）</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>bundled font</source>
        <translation>内置字体</translation>
    </message>
    <message>
        <source>Built with</source>
        <translation>使用的开源组件</translation>
    </message>
</context>
<context>
    <name>ActionLinks</name>
    <message>
        <source>Copy this code block</source>
        <translation>复制此代码块</translation>
    </message>
    <message>
        <source>Wrap or unwrap this block&apos;s long lines</source>
        <translation>自动换行或取消换行此代码块的长行</translation>
    </message>
</context>
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
        <source>desktopchat is already running on this data folder (process {pid}) but does not answer. It may be busy (upgrading the history, say): try again in a moment. If it stays so, close that window, or end that process, then start desktopchat again.

Data folder: {folder}</source>
        <translation>desktopchat 已在此数据文件夹上运行(进程 {pid}),但没有响应。它可能正忙(例如正在升级历史记录):请稍后再试。如果一直如此,请关闭那个窗口或结束该进程,然后重新启动 desktopchat。

数据文件夹:{folder}</translation>
    </message>
    <message>
        <source>desktopchat is already running</source>
        <translation>desktopchat 已在运行</translation>
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
    <name>AttachmentChip</name>
    <message>
        <source>An image, sent as an image</source>
        <translation>图片，以图片形式发送</translation>
    </message>
    <message>
        <source>Sent as text, under its file name</source>
        <translation>以文本形式发送，附带文件名</translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation>移除 {name}</translation>
    </message>
</context>
<context>
    <name>AttachmentChips</name>
    <message>
        <source>Could not attach {name}: {problem}</source>
        <translation>无法添加附件 {name}：{problem}</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>The tool settings could not be saved ({problem}).</source>
        <translation>无法保存工具设置（{problem}）。</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>回复失败。</translation>
    </message>
</context>
<context>
    <name>ChatToolbar</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Endpoint profile</source>
        <translation>服务配置</translation>
    </message>
    <message>
        <source>Model: pick from the endpoint&apos;s list or type a name</source>
        <translation>模型：从服务端列表中选择，或直接输入名称</translation>
    </message>
    <message>
        <source>default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Fetch the model list from the endpoint</source>
        <translation>从服务端获取模型列表</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Temperature 0–2 (“default” lets the endpoint choose)</source>
        <translation>温度 0–2（“默认”表示由服务端决定）</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>联网搜索</translation>
    </message>
    <message>
        <source>Web search: off</source>
        <translation>联网搜索：关</translation>
    </message>
    <message>
        <source>Web search options</source>
        <translation>联网搜索选项</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Max results</source>
        <translation>最多结果数</translation>
    </message>
    <message>
        <source>Freshness</source>
        <translation>时效</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source> Profile </source>
        <translation> 配置 </translation>
    </message>
    <message>
        <source>  Model </source>
        <translation>  模型 </translation>
    </message>
    <message>
        <source>  Temperature </source>
        <translation>  温度 </translation>
    </message>
    <message>
        <source>Use for new chats</source>
        <translation>用于新对话</translation>
    </message>
    <message>
        <source>Changes here apply to this chat only. Make this profile and model the default for new chats (and save them in the profile).</source>
        <translation>此处的更改只对当前对话有效。点击可将此配置和模型设为新对话的默认值（并保存到配置中）。</translation>
    </message>
    <message>
        <source>Search the web for this reply</source>
        <translation>本次回复联网搜索</translation>
    </message>
    <message>
        <source>This endpoint does not support web search</source>
        <translation>此服务端不支持联网搜索</translation>
    </message>
    <message>
        <source>Web search options: this endpoint does not support web search</source>
        <translation>联网搜索选项：此服务端不支持联网搜索</translation>
    </message>
    <message>
        <source>Web search: unavailable</source>
        <translation>联网搜索：不可用</translation>
    </message>
    <message>
        <source>Web search: on</source>
        <translation>联网搜索：开</translation>
    </message>
</context>
<context>
    <name>ChatToolsDialog</name>
    <message>
        <source>Tools for this chat</source>
        <translation>本对话的工具</translation>
    </message>
    <message>
        <source>Use the choice of the profile “{profile}”</source>
        <translation>沿用配置“{profile}”的选择</translation>
    </message>
    <message>
        <source>This chat</source>
        <translation>本对话</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Start a conversation: type below and press Enter.</source>
        <translation>开始对话：在下方输入内容，按 Enter 发送。</translation>
    </message>
    <message>
        <source>↓ Jump to latest</source>
        <translation>↓ 跳到最新</translation>
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
    <name>CodeBlockFocus</name>
    <message>
        <source>Code block {number} of {count}, {language}: Left and Right scroll it, Home and End go to its ends, W wraps it, C copies it.</source>
        <translation>代码块 {number}/{count}，{language}：左右方向键横向滚动，Home 和 End 跳到行首和行尾，W 切换自动换行，C 复制代码。</translation>
    </message>
    <message>
        <source>Code block {number} of {count}, {language}: W wraps it, C copies it.</source>
        <translation>代码块 {number}/{count}，{language}：W 切换自动换行，C 复制代码。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Editing your last message — Send replaces it and asks again.</source>
        <translation>正在编辑你的上一条消息 — 发送后会替换它并重新提问。</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Message — Enter to send, Shift+Enter for a new line</source>
        <translation>输入消息 — Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>附件…</translation>
    </message>
    <message>
        <source>Attach files ({shortcut})</source>
        <translation>添加附件（{shortcut}）</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Message — Ctrl+Enter to send, Enter for a new line</source>
        <translation>输入消息 — Ctrl+Enter 发送，Enter 换行</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Open Settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Use a key for this run…</source>
        <translation>输入仅本次运行有效的密钥…</translation>
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
    <name>ErrorText</name>
    <message>
        <source>The endpoint refused the API key, or this key may not use this model.</source>
        <translation>服务端拒绝了 API 密钥，或此密钥无权使用该模型。</translation>
    </message>
    <message>
        <source>The endpoint is limiting requests, or the quota is used up.</source>
        <translation>服务端正在限制请求频率，或额度已用完。</translation>
    </message>
    <message>
        <source>The endpoint&apos;s server failed.</source>
        <translation>服务端的服务器出错了。</translation>
    </message>
    <message>
        <source>The endpoint refused the request.</source>
        <translation>服务端拒绝了这个请求。</translation>
    </message>
    <message>
        <source>The endpoint answered with an error.</source>
        <translation>服务端返回了错误。</translation>
    </message>
    <message>
        <source>The endpoint did not answer in time.</source>
        <translation>服务端没有及时响应。</translation>
    </message>
    <message>
        <source>Could not reach the endpoint, or the connection dropped.</source>
        <translation>无法连接到服务端，或连接已中断。</translation>
    </message>
    <message>
        <source>The reply ended before it was complete.</source>
        <translation>回复在完成之前就中断了。</translation>
    </message>
    <message>
        <source>The provider reported an error.</source>
        <translation>服务商报告了一个错误。</translation>
    </message>
    <message>
        <source>The endpoint&apos;s answer could not be read.</source>
        <translation>无法读取服务端的响应。</translation>
    </message>
    <message>
        <source>The request cannot be sent as it is set up.</source>
        <translation>按当前设置无法发送这个请求。</translation>
    </message>
    <message>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
    <message>
        <source>The API key would travel unencrypted.</source>
        <translation>API 密钥将以未加密的方式传输。</translation>
    </message>
    <message>
        <source>The chat history could not be used.</source>
        <translation>无法使用聊天记录。</translation>
    </message>
    <message>
        <source>The keyring could not be used.</source>
        <translation>无法使用密钥环。</translation>
    </message>
    <message>
        <source>The settings could not be used.</source>
        <translation>无法使用这些设置。</translation>
    </message>
    <message>
        <source>The file could not be imported.</source>
        <translation>无法导入该文件。</translation>
    </message>
    <message>
        <source>The tool server&apos;s settings are not usable.</source>
        <translation>工具服务器的设置无法使用。</translation>
    </message>
    <message>
        <source>A tool server failed.</source>
        <translation>工具服务器出错了。</translation>
    </message>
    <message>
        <source>A tool failed.</source>
        <translation>工具出错了。</translation>
    </message>
    <message>
        <source>The file could not be attached.</source>
        <translation>无法附加该文件。</translation>
    </message>
    <message>
        <source>The file could not be used.</source>
        <translation>无法使用该文件。</translation>
    </message>
</context>
<context>
    <name>FieldErrors</name>
    <message>
        <source>Give the profile a name.</source>
        <translation>请为配置起一个名称。</translation>
    </message>
    <message>
        <source>Enter the endpoint URL, for example https://api.example.com/v1/chat/completions.</source>
        <translation>请输入服务端 URL，例如 https://api.example.com/v1/chat/completions。</translation>
    </message>
    <message>
        <source>The URL must not contain spaces or control characters.</source>
        <translation>URL 中不能包含空格或控制字符。</translation>
    </message>
    <message>
        <source>The URL is not valid (check the host and port).</source>
        <translation>URL 无效（请检查主机和端口）。</translation>
    </message>
    <message>
        <source>The URL needs a host name, for example https://api.example.com/v1.</source>
        <translation>URL 需要包含主机名，例如 https://api.example.com/v1。</translation>
    </message>
    <message>
        <source>Leave the password out of the URL; it is kept in the keyring instead.</source>
        <translation>请不要把密码写在 URL 中；密码会保存在密钥环里。</translation>
    </message>
    <message>
        <source>The model name must be plain text on one line.</source>
        <translation>模型名称必须是单行纯文本。</translation>
    </message>
    <message>
        <source>Tools must be a JSON array of tool objects.</source>
        <translation>工具必须是由工具对象组成的 JSON 数组。</translation>
    </message>
    <message>
        <source>Authorization cannot be an extra header: enter the API key in the key field, where it is kept in the keyring.</source>
        <translation>Authorization 不能作为额外请求头：请在密钥栏中输入 API 密钥，它会保存在密钥环里。</translation>
    </message>
    <message>
        <source>Check the profile&apos;s name.</source>
        <translation>请检查配置名称。</translation>
    </message>
    <message>
        <source>Check the provider.</source>
        <translation>请检查服务商。</translation>
    </message>
    <message>
        <source>Check the URL.</source>
        <translation>请检查 URL。</translation>
    </message>
    <message>
        <source>Check the model name.</source>
        <translation>请检查模型名称。</translation>
    </message>
    <message>
        <source>Check the system prompt.</source>
        <translation>请检查系统提示词。</translation>
    </message>
    <message>
        <source>Check the temperature.</source>
        <translation>请检查温度。</translation>
    </message>
    <message>
        <source>Check the web search settings.</source>
        <translation>请检查联网搜索设置。</translation>
    </message>
    <message>
        <source>Check the tools (JSON).</source>
        <translation>请检查工具（JSON）。</translation>
    </message>
    <message>
        <source>Check the extra headers.</source>
        <translation>请检查额外请求头。</translation>
    </message>
    <message>
        <source>Check the proxy settings.</source>
        <translation>请检查代理设置。</translation>
    </message>
    <message>
        <source>Check the idle timeout.</source>
        <translation>请检查空闲超时。</translation>
    </message>
    <message>
        <source>Check this setting.</source>
        <translation>请检查此设置。</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in conversation</source>
        <translation>在对话中查找</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>上一个匹配 (Shift+Enter, Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>下一个匹配 (Enter, F3)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Next match in the conversation</source>
        <translation>对话中的下一个匹配</translation>
    </message>
    <message>
        <source>Previous match in the conversation</source>
        <translation>对话中的上一个匹配</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>没有匹配结果</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>第 {0} 个，共 {1} 个</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Local chat server found</source>
        <translation>发现本地聊天服务</translation>
    </message>
    <message>
        <source>{server} is running on this computer ({url}).

Use it for new chats? It needs no API key.</source>
        <translation>{server} 正在本机运行（{url}）。

要在新对话中使用它吗？它不需要 API 密钥。</translation>
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
    <name>HistoryExport</name>
    <message>
        <source>Export as Markdown</source>
        <translation>导出为 Markdown</translation>
    </message>
    <message>
        <source>Export as JSON</source>
        <translation>导出为 JSON</translation>
    </message>
    <message>
        <source>Markdown files (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write {path}:
{problem}</source>
        <translation>无法写入 {path}：
{problem}</translation>
    </message>
</context>
<context>
    <name>HistoryImport</name>
    <message>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Conversations (*.json);;All files (*)</source>
        <translation>对话 (*.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <source>Unknown date</source>
        <translation>日期未知</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>更早</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>New folder: drag chats onto it to file them</source>
        <translation>新建文件夹：把聊天拖到文件夹上即可归档</translation>
    </message>
    <message>
        <source>History problem: {problem}</source>
        <translation>历史记录出现问题：{problem}</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin to top</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>HistorySearch</name>
    <message>
        <source>1 match</source>
        <translation>1 处匹配</translation>
    </message>
    <message>
        <source>{count} matches</source>
        <translation>{count} 处匹配</translation>
    </message>
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
    <name>ImageScaling</name>
    <message>
        <source>{name} could not be read as an image.</source>
        <translation>无法将 {name} 读取为图片。</translation>
    </message>
    <message>
        <source>The clipboard image could not be read.</source>
        <translation>无法读取剪贴板中的图片。</translation>
    </message>
    <message>
        <source>pasted image.png</source>
        <translation>粘贴的图片.png</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>{name} could not be shown.</source>
        <translation>无法显示 {name}。</translation>
    </message>
</context>
<context>
    <name>ImportPresenter</name>
    <message>
        <source>Importing conversations…</source>
        <translation>正在导入对话…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>Nothing was imported.

{problem}</source>
        <translation>没有导入任何内容。

{problem}</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was imported.</source>
        <translation>导入已取消：没有导入任何内容。</translation>
    </message>
</context>
<context>
    <name>ImportSummary</name>
    <message>
        <source>  … and {count} more</source>
        <translation>  … 还有 {count} 个</translation>
    </message>
    <message>
        <source>1 conversation</source>
        <translation>1 个对话</translation>
    </message>
    <message>
        <source>{count} conversations</source>
        <translation>{count} 个对话</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message>
        <source>{count} messages</source>
        <translation>{count} 条消息</translation>
    </message>
    <message>
        <source>Imported {conversations} ({messages}); {skipped} already present.</source>
        <translation>已导入 {conversations}（{messages}）；{skipped} 个已存在。</translation>
    </message>
    <message>
        <source>Imported {conversations} ({messages}).</source>
        <translation>已导入 {conversations}（{messages}）。</translation>
    </message>
    <message>
        <source>Added {conversations} ({messages}):</source>
        <translation>已添加 {conversations}（{messages}）：</translation>
    </message>
    <message>
        <source>Skipped {conversations} already in your history (not added twice):</source>
        <translation>已跳过历史记录中已有的 {conversations}（不会重复添加）：</translation>
    </message>
    <message>
        <source>The file holds no conversations.</source>
        <translation>该文件中没有对话。</translation>
    </message>
</context>
<context>
    <name>KeyField</name>
    <message>
        <source>Paste a new API key to replace the stored one</source>
        <translation>粘贴新的 API 密钥以替换已保存的密钥</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Delete the stored key when you save</source>
        <translation>保存时删除已保存的密钥</translation>
    </message>
    <message>
        <source>Use this key for this run only</source>
        <translation>此密钥仅本次运行有效</translation>
    </message>
    <message>
        <source>Kept in memory until the app quits; never written anywhere.</source>
        <translation>只保存在内存中，直到应用退出；不会写入任何地方。</translation>
    </message>
    <message>
        <source>No usable keyring ({keyring}): {problem} A key entered here is kept for this run only and never written to disk.</source>
        <translation>没有可用的密钥环（{keyring}）：{problem} 在此输入的密钥仅本次运行有效，不会写入磁盘。</translation>
    </message>
    <message>
        <source>Waiting for the keyring (it may be asking for its password)…</source>
        <translation>正在等待密钥环（它可能正在请求输入密码）…</translation>
    </message>
    <message>
        <source>Could not read the stored key: {problem}</source>
        <translation>无法读取已保存的密钥：{problem}</translation>
    </message>
    <message>
        <source>The stored key will be deleted when you save.</source>
        <translation>保存时将删除已保存的密钥。</translation>
    </message>
    <message>
        <source>•••• kept in memory for this run only</source>
        <translation>•••• 仅在本次运行中保存在内存里</translation>
    </message>
    <message>
        <source>•••• stored in {keyring}</source>
        <translation>•••• 已保存在 {keyring}</translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation>未保存密钥</translation>
    </message>
</context>
<context>
    <name>LinkGuard</name>
    <message>
        <source>The link contains invisible or direction-changing characters.</source>
        <translation>该链接包含不可见字符或改变文字方向的字符。</translation>
    </message>
    <message>
        <source>The link text shows the address {address}, but the link goes somewhere else.</source>
        <translation>链接文字显示的地址是 {address}，但链接实际指向别处。</translation>
    </message>
    <message>
        <source>The link&apos;s address uses non-Latin characters that can imitate another site.</source>
        <translation>该链接的地址使用了非拉丁字符，可能在冒充其他网站。</translation>
    </message>
    <message>
        <source>Open this link?</source>
        <translation>打开此链接？</translation>
    </message>
    <message>
        <source>{reason}

It really goes to:
{address}

Open it in your browser?</source>
        <translation>{reason}

它实际指向：
{address}

要在浏览器中打开吗？</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Send a message first: a new chat has no tools of its own yet.</source>
        <translation>请先发送一条消息：新对话还没有自己的工具设置。</translation>
    </message>
    <message>
        <source>Settings not saved: {problem}</source>
        <translation>设置未保存：{problem}</translation>
    </message>
    <message>
        <source>{title} — desktopchat</source>
        <translation>{title} — desktopchat</translation>
    </message>
    <message>
        <source>Stop the reply?</source>
        <translation>停止回复？</translation>
    </message>
    <message>
        <source>A reply is still being written. Stop it and quit? The text so far is kept.</source>
        <translation>回复仍在生成中。要停止并退出吗？已生成的文字会保留。</translation>
    </message>
</context>
<context>
    <name>MarkdownImages</name>
    <message>
        <source>[image: {name}]</source>
        <translation>[图片：{name}]</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图片</translation>
    </message>
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
    <name>McpServerForm</name>
    <message>
        <source>A stdio server is a program that runs on this computer with your user&apos;s rights: it can read and change your files. Add only servers you trust. Every tool call still asks you first, unless you chose “Always allow” for that tool.</source>
        <translation>stdio 服务器是在本机上以你的用户权限运行的程序：它可以读取和更改你的文件。只添加你信任的服务器。除非你对某个工具选择了“始终允许”，否则每次调用工具前仍会先询问你。</translation>
    </message>
    <message>
        <source>one argument per line</source>
        <translation>每行一个参数</translation>
    </message>
    <message>
        <source>NAME=value, one per line</source>
        <translation>NAME=value，每行一个</translation>
    </message>
    <message>
        <source>Name: value, one per line</source>
        <translation>Name: value，每行一个</translation>
    </message>
    <message>
        <source>Authorization: Bearer …  (kept in the keyring; leave empty to keep the stored value)</source>
        <translation>Authorization: Bearer …（保存在密钥环中；留空则保留已保存的值）</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Working folder</source>
        <translation>工作目录</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>机密请求头</translation>
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
    <name>MessageCode</name>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copy one of this message&apos;s code blocks</source>
        <translation>复制此消息中的某个代码块</translation>
    </message>
    <message>
        <source>Copy this message&apos;s code block</source>
        <translation>复制此消息的代码块</translation>
    </message>
</context>
<context>
    <name>MessageFiles</name>
    <message>
        <source>Attached: {file}</source>
        <translation>附件：{file}</translation>
    </message>
</context>
<context>
    <name>MessageFooter</name>
    <message>
        <source>This reply&apos;s tool calls have no results: a message sent now goes without this reply (Regenerate asks again).</source>
        <translation>这条回复的工具调用没有结果：现在发送的消息不会带上这条回复（“重新生成”会重新提问）。</translation>
    </message>
    <message>
        <source>{total} tokens</source>
        <translation>{total} 个 token</translation>
    </message>
    <message>
        <source>{prompt} in / {completion} out tokens</source>
        <translation>输入 {prompt} / 输出 {completion} 个 token</translation>
    </message>
    <message>
        <source>first token {seconds} s</source>
        <translation>首个 token {seconds} 秒</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} token/秒</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finish: {reason}</source>
        <translation>结束原因：{reason}</translation>
    </message>
    <message>
        <source>The reply hit the length limit.</source>
        <translation>回复已达到长度上限。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>MessageRender</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Interrupted — the reply is incomplete</source>
        <translation>已中断 — 回复不完整</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>The connection ended before the reply was finished. The text so far is kept; Retry asks again.</source>
        <translation>回复完成前连接已断开。已生成的文字会保留；点击“重试”可重新提问。</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <source>(thinking…)</source>
        <translation>（思考中…）</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理过程</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>MigrationProgress</name>
    <message>
        <source>Building the search index for every language…</source>
        <translation>正在为所有语言建立搜索索引…</translation>
    </message>
    <message>
        <source>Upgrading your history…</source>
        <translation>正在升级聊天记录…</translation>
    </message>
    <message>
        <source>Upgrading your history</source>
        <translation>正在升级聊天记录</translation>
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
        <source>Notify me when a reply finishes in the background</source>
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
    <name>PresetNames</name>
    <message>
        <source>Custom (OpenAI-compatible)</source>
        <translation>自定义（兼容 OpenAI）</translation>
    </message>
    <message>
        <source>Ollama (local)</source>
        <translation>Ollama（本地）</translation>
    </message>
    <message>
        <source>LM Studio (local)</source>
        <translation>LM Studio（本地）</translation>
    </message>
    <message>
        <source>llama.cpp server (local)</source>
        <translation>llama.cpp 服务器（本地）</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>Line {number} is not “Name: value”.</source>
        <translation>第 {number} 行不是“Name: value”格式。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Chat URL</source>
        <translation>聊天 URL</translation>
    </message>
    <message>
        <source>Fetch models</source>
        <translation>获取模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Provider default</source>
        <translation>服务商默认</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>联网搜索</translation>
    </message>
    <message>
        <source>Tools (JSON)</source>
        <translation>工具（JSON）</translation>
    </message>
    <message>
        <source>X-Header-Name: value  (one per line)</source>
        <translation>X-Header-Name: value（每行一个）</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>额外请求头</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Idle timeout</source>
        <translation>空闲超时</translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation>系统代理</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <source>Custom proxy</source>
        <translation>自定义代理</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Allow the key over plain http://</source>
        <translation>允许通过明文 http:// 发送密钥</translation>
    </message>
    <message>
        <source>Send the API key unencrypted to a host other than this computer. Only for a trusted local network.</source>
        <translation>将 API 密钥以未加密的方式发送到本机以外的主机。仅适用于可信的局域网。</translation>
    </message>
    <message>
        <source>Ask for token usage</source>
        <translation>请求 token 用量</translation>
    </message>
    <message>
        <source>Send stream_options.include_usage so the server reports prompt and completion tokens. Turn it off if the endpoint rejects the request.</source>
        <translation>发送 stream_options.include_usage，让服务器报告提示和补全的 token 数。如果服务端拒绝该请求，请关闭此项。</translation>
    </message>
    <message>
        <source>Accepts images</source>
        <translation>支持图片</translation>
    </message>
    <message>
        <source>Send attached images as image_url content parts. Turn it on only if the model reads images; an endpoint that does not may reject the request.</source>
        <translation>将附加的图片作为 image_url 内容部分发送。仅在模型能识别图片时开启；不支持的服务端可能会拒绝请求。</translation>
    </message>
    <message>
        <source>Search the web by default</source>
        <translation>默认联网搜索</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Max results</source>
        <translation>最多结果数</translation>
    </message>
    <message>
        <source>Freshness</source>
        <translation>时效</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>{provider} does not offer web search.</source>
        <translation>{provider} 不提供联网搜索。</translation>
    </message>
</context>
<context>
    <name>ProxyPasswordField</name>
    <message>
        <source>•••• stored (type to replace)</source>
        <translation>•••• 已保存（输入新内容以替换）</translation>
    </message>
    <message>
        <source>Proxy password (kept in the keyring)</source>
        <translation>代理密码（保存在密钥环中）</translation>
    </message>
</context>
<context>
    <name>ReadOnlyNotice</name>
    <message>
        <source>The history cannot be saved: {file} or its folder is read-only. You can read your chats; new messages cannot be sent until the folder can be written (then restart desktopchat).</source>
        <translation>历史记录无法保存:{file} 或其所在文件夹是只读的。你可以阅读已有的对话;在该文件夹可写之前无法发送新消息(之后请重新启动 desktopchat)。</translation>
    </message>
    <message>
        <source>Read-only: nothing is saved</source>
        <translation>只读:不会保存任何内容</translation>
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
        <source>stop</source>
        <translation>正常结束</translation>
    </message>
    <message>
        <source>length</source>
        <translation>达到长度上限</translation>
    </message>
    <message>
        <source>tool_calls</source>
        <translation>调用工具</translation>
    </message>
    <message>
        <source>function_call</source>
        <translation>调用函数</translation>
    </message>
    <message>
        <source>content_filter</source>
        <translation>被内容过滤拦截</translation>
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
    <name>RunKeyPrompt</name>
    <message>
        <source>API key for this run</source>
        <translation>本次运行使用的 API 密钥</translation>
    </message>
    <message>
        <source>The keyring cannot keep keys. Enter the key for “{profile}”; it is kept in memory until the app quits and never written anywhere.</source>
        <translation>密钥环无法保存密钥。请输入配置“{profile}”的密钥；它只保存在内存中直到应用退出，不会写入任何地方。</translation>
    </message>
</context>
<context>
    <name>SearchFiltersBar</name>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Past day</source>
        <translation>过去一天</translation>
    </message>
    <message>
        <source>Past week</source>
        <translation>过去一周</translation>
    </message>
    <message>
        <source>Past month</source>
        <translation>过去一个月</translation>
    </message>
    <message>
        <source>Past year</source>
        <translation>过去一年</translation>
    </message>
    <message>
        <source>Any profile or model</source>
        <translation>任意配置或模型</translation>
    </message>
    <message>
        <source>This chat</source>
        <translation>本对话</translation>
    </message>
    <message>
        <source>Search only the open conversation</source>
        <translation>只搜索当前打开的对话</translation>
    </message>
    <message>
        <source>Only conversations with this profile or model</source>
        <translation>只显示使用此配置或模型的对话</translation>
    </message>
    <message>
        <source>Only messages written in this period</source>
        <translation>只显示这段时间内的消息</translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <translation>配置：{name}</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>模型：{name}</translation>
    </message>
</context>
<context>
    <name>SearchWorker</name>
    <message>
        <source>Unexpected problem: {error}</source>
        <translation>意外问题：{error}</translation>
    </message>
</context>
<context>
    <name>SettingsActions</name>
    <message>
        <source>No complete answer within {seconds} seconds.</source>
        <translation>{seconds} 秒内没有收到完整的回答。</translation>
    </message>
    <message>
        <source>Connected in {ms} ms — the model said “{said}”</source>
        <translation>已连接（{ms} 毫秒），模型回复“{said}”</translation>
    </message>
    <message>
        <source>Connected in {ms} ms</source>
        <translation>已连接（{ms} 毫秒）</translation>
    </message>
    <message>
        <source>This provider does not publish a model list; type the model name.</source>
        <translation>此服务商不提供模型列表，请直接输入模型名称。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>偏好设置</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>{name} copy</source>
        <translation>{name} 副本</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Another profile is already called “{name}”.</source>
        <translation>已有另一个配置名为“{name}”。</translation>
    </message>
    <message>
        <source>Fix the marked fields in: {profiles}</source>
        <translation>请修正以下配置中标出的字段：{profiles}</translation>
    </message>
    <message>
        <source>Settings not saved</source>
        <translation>设置未保存</translation>
    </message>
    <message>
        <source>Key not stored</source>
        <translation>密钥未保存</translation>
    </message>
    <message>
        <source>Fix the marked fields first.</source>
        <translation>请先修正标出的字段。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Fetching the model list…</source>
        <translation>正在获取模型列表…</translation>
    </message>
    <message>
        <source>{count} models available.</source>
        <translation>共有 {count} 个可用模型。</translation>
    </message>
    <message>
        <source>The provider listed no models.</source>
        <translation>服务商没有列出任何模型。</translation>
    </message>
</context>
<context>
    <name>SetupCheck</name>
    <message>
        <source>Waiting for the keyring: it may be asking for its password in another window. Your message is kept; send it again once it is unlocked.</source>
        <translation>正在等待密钥环：它可能正在另一个窗口中请求输入密码。你的消息已保留，解锁后请重新发送。</translation>
    </message>
    <message>
        <source>“{profile}” does not accept images, so nothing was sent. Remove the images, or switch to a profile that accepts them (Settings → Accepts images). Your message and its files are kept.</source>
        <translation>“{profile}”不支持图片，因此没有发送任何内容。请移除图片，或切换到支持图片的配置（设置 → 支持图片）。你的消息和附件已保留。</translation>
    </message>
    <message>
        <source>The keyring answered. Send your message again.</source>
        <translation>密钥环已响应。请重新发送你的消息。</translation>
    </message>
    <message>
        <source>No endpoint is set up yet. Open Settings (Ctrl+,) and add a profile.</source>
        <translation>尚未设置任何服务。请打开设置（Ctrl+,）并添加一个配置。</translation>
    </message>
    <message>
        <source>The profile “{profile}” needs an API key. Add it in Settings (Ctrl+,).</source>
        <translation>配置“{profile}”需要 API 密钥。请在设置（Ctrl+,）中添加。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>In the conversation</source>
        <translation>在对话中</translation>
    </message>
</context>
<context>
    <name>StreamRunner</name>
    <message>
        <source>Unexpected problem ({error}). Details are in the log.</source>
        <translation>意外问题（{error}）。详细信息已写入日志。</translation>
    </message>
    <message>
        <source>Something went wrong while streaming: {error}</source>
        <translation>接收回复时出错：{error}</translation>
    </message>
</context>
<context>
    <name>ToolApprovalPanel</name>
    <message>
        <source>The model wants to use tools:</source>
        <translation>模型想要使用以下工具：</translation>
    </message>
</context>
<context>
    <name>ToolCallCard</name>
    <message>
        <source>(no arguments)</source>
        <translation>（无参数）</translation>
    </message>
    <message>
        <source>… ({count} more)</source>
        <translation>…（还有 {count} 个字符）</translation>
    </message>
    <message>
        <source>answered by you</source>
        <translation>由你作答</translation>
    </message>
    <message>
        <source>Type the tool&apos;s result here</source>
        <translation>在此输入工具的结果</translation>
    </message>
    <message>
        <source>Send result</source>
        <translation>发送结果</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Always allow this tool</source>
        <translation>始终允许此工具</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Running… (always allowed from now on)</source>
        <translation>正在运行…（今后始终允许）</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Result sent</source>
        <translation>结果已发送</translation>
    </message>
</context>
<context>
    <name>ToolLoop</name>
    <message>
        <source>Stopped after {limit} tool steps (the limit is in Settings → Tools). Send a message to go on.</source>
        <translation>已在 {limit} 步工具调用后停止（上限可在 设置 → 工具 中修改）。发送一条消息即可继续。</translation>
    </message>
    <message>
        <source>{problem} The tool loop stopped; send a message to go on.</source>
        <translation>{problem} 工具调用已停止；发送一条消息即可继续。</translation>
    </message>
</context>
<context>
    <name>ToolResult</name>
    <message>
        <source>tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>always allowed</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>answered by you</source>
        <translation>由你作答</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>could not run</source>
        <translation>无法运行</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>image {number}</source>
        <translation>图片 {number}</translation>
    </message>
</context>
<context>
    <name>ToolsPage</name>
    <message>
        <source>Add stdio…</source>
        <translation>添加 stdio…</translation>
    </message>
    <message>
        <source>Add HTTP…</source>
        <translation>添加 HTTP…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Paste an mcpServers block from Claude Desktop, Cursor…</source>
        <translation>粘贴来自 Claude Desktop、Cursor 等的 mcpServers 配置块…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Tool steps per message</source>
        <translation>每条消息的工具步数</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>始终允许</translation>
    </message>
    <message>
        <source>Offered to profile</source>
        <translation>提供给配置</translation>
    </message>
    <message>
        <source>Checked: offered to models</source>
        <translation>勾选：提供给模型</translation>
    </message>
    <message>
        <source>New MCP server</source>
        <translation>新建 MCP 服务器</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Added {servers}. Skipped: {skipped}</source>
        <translation>已添加 {servers}。已跳过：{skipped}</translation>
    </message>
    <message>
        <source>Added {servers}.</source>
        <translation>已添加 {servers}。</translation>
    </message>
    <message>
        <source>Import MCP servers</source>
        <translation>导入 MCP 服务器</translation>
    </message>
    <message>
        <source>Paste the mcpServers JSON (Claude Desktop, Cursor…):</source>
        <translation>粘贴 mcpServers JSON（来自 Claude Desktop、Cursor 等）：</translation>
    </message>
    <message>
        <source>Connected · {count} tools</source>
        <translation>已连接 · {count} 个工具</translation>
    </message>
    <message>
        <source>Last error: {problem}</source>
        <translation>上次错误：{problem}</translation>
    </message>
    <message>
        <source>Not started (servers start when first needed)</source>
        <translation>未启动（服务器在首次需要时启动）</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>no tools</source>
        <translation>没有工具</translation>
    </message>
    <message>
        <source>Connected · {count} tools: {names}</source>
        <translation>已连接 · {count} 个工具：{names}</translation>
    </message>
    <message>
        <source>Failed: {problem}</source>
        <translation>失败：{problem}</translation>
    </message>
    <message>
        <source>Two MCP servers are called “{name}”.</source>
        <translation>有两个 MCP 服务器都叫“{name}”。</translation>
    </message>
    <message>
        <source>The tools file could not be written ({problem}).</source>
        <translation>无法写入工具配置文件（{problem}）。</translation>
    </message>
</context>
<context>
    <name>TranscriptAccessible</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在撰写…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Interrupted: the reply is incomplete</source>
        <translation>已中断：回复不完整</translation>
    </message>
    <message>
        <source>Error: {error}</source>
        <translation>错误：{error}</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>{role}: {text}</source>
        <translation>{role}：{text}</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Messages, oldest first. Up and Down move between messages; Enter reaches a message&apos;s actions.</source>
        <translation>消息按时间先后排列。上下方向键在消息间移动；回车键进入消息的操作按钮。</translation>
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
    <message>
        <source>Copy message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
</context>
<context>
    <name>TranscriptKeys</name>
    <message>
        <source>Copy the chosen message</source>
        <translation>复制选中的消息</translation>
    </message>
    <message>
        <source>Edit the chosen message</source>
        <translation>编辑选中的消息</translation>
    </message>
    <message>
        <source>Regenerate the chosen reply</source>
        <translation>重新生成选中的回复</translation>
    </message>
    <message>
        <source>Delete the chosen message</source>
        <translation>删除选中的消息</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Choose a message</source>
        <translation>选择消息</translation>
    </message>
    <message>
        <source>Move into the chosen message&apos;s buttons</source>
        <translation>进入选中消息的按钮</translation>
    </message>
    <message>
        <source>Go to the chosen message&apos;s code blocks</source>
        <translation>转到选中消息的代码块</translation>
    </message>
    <message>
        <source>Code block: scroll sideways</source>
        <translation>代码块：左右滚动</translation>
    </message>
    <message>
        <source>Code block: scroll by most of its width</source>
        <translation>代码块：按大约一屏宽度滚动</translation>
    </message>
    <message>
        <source>Code block: go to the start or the end of its lines</source>
        <translation>代码块：转到行首或行尾</translation>
    </message>
    <message>
        <source>Code block: wrap or unwrap</source>
        <translation>代码块：切换自动换行</translation>
    </message>
    <message>
        <source>Code block: copy its code</source>
        <translation>代码块：复制代码</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Deleted “{title}”</source>
        <translation>已删除“{title}”</translation>
    </message>
</context>
<context>
    <name>WebSearchChoices</name>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>force</source>
        <translation>总是搜索</translation>
    </message>
    <message>
        <source>day</source>
        <translation>一天内</translation>
    </message>
    <message>
        <source>week</source>
        <translation>一周内</translation>
    </message>
    <message>
        <source>month</source>
        <translation>一个月内</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>zh</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>en</source>
        <translation>英文</translation>
    </message>
</context>
<context>
    <name>WindowBranches</name>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>The new version failed ({problem}). The earlier reply is shown; ‹ › shows the failed one.</source>
        <translation>新版本生成失败（{problem}）。当前显示的是之前的回复；用 ‹ › 可查看失败的版本。</translation>
    </message>
    <message>
        <source>Deleted 1 message.</source>
        <translation>已删除 1 条消息。</translation>
    </message>
    <message>
        <source>Deleted {count} messages.</source>
        <translation>已删除 {count} 条消息。</translation>
    </message>
    <message>
        <source>This chat: {prompt} in / {completion} out tokens</source>
        <translation>本对话：输入 {prompt} / 输出 {completion} 个 token</translation>
    </message>
</context>
<context>
    <name>WindowFileActions</name>
    <message>
        <source>Conversation copied as Markdown</source>
        <translation>已将对话复制为 Markdown</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>还没有可导出的内容</translation>
    </message>
    <message>
        <source>Export failed: {problem}</source>
        <translation>导出失败：{problem}</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
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
        <source>Find in conversation…</source>
        <translation>在对话中查找…</translation>
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
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About desktopchat</source>
        <translation>关于 desktopchat</translation>
    </message>
    <message>
        <source>Stop the reply (in the chat or message box)</source>
        <translation>停止回复（在对话区或输入框中）</translation>
    </message>
</context>
<context>
    <name>WorkerJob</name>
    <message>
        <source>Unexpected problem: {error}</source>
        <translation>意外问题：{error}</translation>
    </message>
</context>
</TS>
