<?php
// A stand-in for the XuanXuan server (ZenTao's XXB), run by `php -S 127.0.0.1:<port> entry.php`
// in tests/e2e/xuanxuan_php.test.mjs. It is not the server: it applies the server's rules, as
// read in its code, with PHP itself doing the parsing, encoding and hashing that matter:
//
// - the entry (commonModel::checkEntry, module/common/model.php): code missing, token missing,
//   no such app, then the token, each refused with `{errcode, errmsg}` in HTTP 200, the codes of
//   module/entry/config.php and the words of module/entry/lang/zh-cn.php;
// - the token (commonModel::checkEntryToken): parse_str of the raw query, `token` dropped,
//   http_build_query of the rest, and md5(md5(that) . key) compared with the token;
// - the im control's methods (module/im/control.php): `{result, message?, data?}` written by
//   json_encode, an empty list as `[]`; the sends refuse an empty `users`/`gid`, `sender` and
//   `title`, in that order, with the words of module/im/lang/zh-cn.php.
//
// XX_CODE and XX_KEY (environment) are the one app's code and key; XX_STATE a file where the
// sends are kept, read back at /_sent; /_canon answers http_build_query(parse_str(the query)).

$code = getenv('XX_CODE');
$key = getenv('XX_KEY');
$state = getenv('XX_STATE');
$groups = json_decode(getenv('XX_GROUPS'), true); // {gid: {name, members: [id]}}
$users = json_decode(getenv('XX_USERS'), true);   // {id: name}

header('Content-Type: application/json');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);

// PHP's own rewrite of a query, as checkEntryToken hashes it: the test compares xuanxuanToken
// with it over random queries.
if ($path === '/_canon') {
    parse_str($_SERVER['QUERY_STRING'], $query);
    unset($query['token']);
    die(http_build_query($query));
}
if ($path === '/_sent') {
    die(file_exists($state) ? file_get_contents($state) : '[]');
}
if ($path !== '/x.php') {
    http_response_code(404);
    die(json_encode(['result' => 'fail', 'message' => 'not found']));
}

function refuse($errcode, $errmsg)
{
    die(json_encode(['errcode' => $errcode, 'errmsg' => $errmsg]));
}

function answer($response)
{
    die(json_encode($response));
}

// The entry.
if (empty($_GET['code'])) refuse(401, '缺少code参数');
if (empty($_GET['token'])) refuse(401, '缺少token参数');
if ($_GET['code'] !== $code) refuse(404, '应用不存在');
parse_str($_SERVER['QUERY_STRING'], $query);
unset($query['token']);
if ($_GET['token'] != md5(md5(http_build_query($query)) . $key)) refuse(401, '无效的token参数');

if (($_GET['m'] ?? '') !== 'im') answer(['result' => 'fail', 'message' => 'no such module']);
$f = $_GET['f'] ?? '';

if ($f === 'getGroupChats') {
    $pairs = [];
    foreach ($groups as $gid => $group) $pairs[$gid] = $group['name'];
    answer(['result' => 'success', 'data' => $pairs]);
}

if ($f === 'getChatUsers') {
    $gid = $_GET['gid'] ?? '';
    $ids = $gid === '' ? array_keys($users) : ($groups[$gid]['members'] ?? []);
    $pairs = [];
    foreach ($ids as $id) $pairs[$id] = $users[$id];
    answer(['result' => 'success', 'data' => $pairs]);
}

if ($f === 'sendNotification' || $f === 'sendChatMessage') {
    if ($_SERVER['REQUEST_METHOD'] !== 'POST') answer(['result' => 'fail', 'message' => 'POST only']);
    $data = json_decode(file_get_contents('php://input'));
    if ($f === 'sendNotification' && empty($data->users)) answer(['result' => 'fail', 'message' => '应当设置接收者用户列表。']);
    if ($f === 'sendChatMessage' && empty($data->gid)) answer(['result' => 'fail', 'message' => '应当设置接收讨论组。']);
    if (empty($data->sender)) answer(['result' => 'fail', 'message' => '应当设置发送方信息。']);
    if (empty($data->title)) answer(['result' => 'fail', 'message' => '请提供通知信息的标题。']);
    $sent = file_exists($state) ? json_decode(file_get_contents($state), true) : [];
    $sent[] = ['f' => $f, 'data' => $data];
    file_put_contents($state, json_encode($sent));
    answer(['result' => 'success', 'message' => '']);
}

answer(['result' => 'fail', 'message' => 'no such method']);
