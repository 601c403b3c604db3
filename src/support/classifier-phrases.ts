/**
 * The classifier's phrase tables, English and Chinese: what reads as automatic, an
 * acknowledgement, a root cause or a fix, a hand-over, a holding reply, analysis, a stock cause.
 * English patterns use \b; Chinese has no word boundaries. Several are written so that no run of
 * spaces or digits can be split between two quantifiers in many ways (see MEASUREMENT): the
 * classifier must stay linear on a 64 KB reply.
 */
import type { Phrase } from './questions.ts';
import type { InfoKind } from '../core/ticket-facts.ts';

export const AUTOMATIC: Phrase[] = [
  {
    pattern: /\bthis (is|was) an? (automated|automatic|auto-?generated|system[- ]generated|computer[- ]generated) (message|response|reply|e-?mail|notification|notice)\b|\bthis (e-?mail|message) (was|has been|is) (sent|generated) automatically\b|\bautomatic(ally generated)? reply\b|\bauto-?reply\b/iu,
    label: 'says it is automated',
  },
  {
    pattern: /\bout of (the )?office\b|\b(i am|i'm) (currently )?(away|on (annual |parental |sick )?(leave|vacation|holiday)|travell?ing)\b|\b(limited|no) access to (my )?e-?mail\b|\b(i will|i'll) (be back|return)( to the office)? on\b|\bupon my return\b/iu,
    label: 'out-of-office',
  },
  {
    pattern: /(此|本)(邮件|消息|信息)(为|是|由)?系统自动(发送|发出|生成|回复)|系统自动(发送|发出|回复|生成)|系统邮件|自动回复/u,
    label: 'says it is automated',
  },
  { pattern: /(我|本人)(目前|现在|正在)?(不在办公室|休假|出差)|(休假|出差)(中|期间)|(我|本人)[^。！？，,\n同]{0,20}(休假|出差|不在办公室)|期间无法及时(查看|回复)/u, label: 'out-of-office' },
  // An assistant that cites the ticket's channel and times is still a machine.
  {
    pattern: /\b(i am|i'm|this is) (an? |your )?(ai|virtual|automated|digital|smart) (assistant|agent|support agent|helper|support bot)\b|\b(ai|bot|machine)[- ]generated\b|\b(generated|written|drafted|composed|produced) (automatically )?(by|with) (ai|an ai|our ai|gpt|chatgpt|an? (ai|virtual) assistant|our (ai |virtual )?(assistant|bot)|answer ?bot|the (ai |virtual )?assistant)\b|\banswer ?bot\b|\bai[- ](powered )?(assistant|agent|support)\b|\b(virtual|digital|automated) (support |customer service |help )?(assistant|agent)\b|\(automated (answer|response|reply)\)|\b(this |the above )?(answer|reply|response|summary|suggestion)s? (was |were |is |are |has been )?(automatically )?(generated|drafted|composed|produced) (automatically )?(by|with|using|from)\b|\ba human (engineer|agent|specialist|support (engineer|agent)|team member) will (review|follow up|take over|look at|pick up|join|reply)\b|\bi'?m an ai\b|\bi am an ai\b|\ba human will (jump in|step in|take over|follow up|reply)\b|\b(ai helper|support bot)\b|:robot_face:|🤖/iu,
    label: 'says an AI assistant wrote it',
  },
  {
    pattern: /智能(客服|助手|助理|机器人)|AI\s*(助手|助理|客服|机器人)|机器人客服|(由|经)\s*(AI|人工智能|智能(客服|助手|系统)|机器人)[^。！？]{0,8}生成|(本|此|以下)(条)?(回复|回答|内容|答复)(由|为)[^。！？]{0,12}(AI|人工智能|智能|机器人)|我是[^。！？]{0,12}(智能|AI|机器人|虚拟)(客服|助手|助理)/iu,
    label: 'says an AI assistant wrote it',
  },
];

// The optional ticket numbers read `\s*(?:(…)\s*)?`, not `\s*(…)?\s*`: two `\s*` around an optional
// part try every split of a run of spaces between them, which takes seconds on a long run.
export const ACKNOWLEDGEMENT: Phrase[] = [
  {
    pattern: /\b(we|i)('ve| have)?\s+(successfully\s+)?received your (support )?(request|ticket|e-?mail|message|inquiry|enquiry|case|submission|query)\b|\byour (support )?(request|ticket|case|inquiry|enquiry|query|message)\s*(?:(\(\s*(?:#\s*)?\d+\s*\)|#\s*\d+|number\s*#?\d+)\s*)?(has been|was|is)\s+(successfully\s+)?(received|created|submitted|logged|opened|registered|recorded)\b|\b(ticket|case|request|reference) (number|id|no\.?) (is|:)\s*(?:#\s*)?[\w-]+|\bthis (e-?mail|message) (is|serves as) an? (confirmation|acknowledge?ment)\b/iu,
    label: 'acknowledgement phrasing',
  },
  {
    pattern: /(已|已经)收到(您|你)(的|提交的)(工单|请求|邮件|问题|反馈|来信|咨询)|工单(已|已经)(收到|创建|提交|受理|生成)|您的(工单|请求|问题)(已|已经)(被)?(收到|创建|提交|受理)|工单(号|编号)(是|为|：|:)/u,
    label: 'acknowledgement phrasing',
  },
  {
    pattern: /\b(status|state) (of your (request|ticket|case) )?(has been |was |is )?(changed|updated|set) to\b|\byour (request|ticket|case)\s*(?:(\(\s*(?:#\s*)?\d+\s*\)|#\s*\d+)\s*)?(has been|was|is)\s+(solved|closed|resolved|marked as \w+|set to \w+|put on hold)\b|\bhow would you rate\b|\brate (our|your|the) (support|service|experience|interaction)\b|\bsatisfaction survey\b/iu,
    label: 'status notification',
  },
  {
    pattern: /工单(状态)?(已|已经)?(变更|更新|修改)为|状态(已|已经)?(变更|更新|修改)为|您的(工单|请求)(已|已经)(被)?(解决|关闭)|满意度(调查|评价)|(对|为)(本次)?服务(进行)?评价/u,
    label: 'status notification',
  },
];

export const AUTO_CLOSE: Phrase[] = [
  {
    pattern: /\b(will|shall) be (automatically |auto-?)?(closed|solved|resolved)\b[^.?!]{0,80}\b(if|unless|after|in \d|within)\b|\bautomatically (be )?(closed|solved|close)\b|\bauto-?clos(e|ed|ing)\b|\bif we (do not|don't|haven't|have not) (hear|heard|receive|received)\b/iu,
    label: 'auto-close warning',
  },
  { pattern: /(将|会)(被)?(自动)?(关闭|结单)|自动(关闭|结单)|未(收到|得到)(您的)?(回复|答复)[^。！？]{0,20}(关闭|结单)/u, label: 'auto-close warning' },
];

// A stock network cause: "network fluctuation", "unstable network", "网络波动".
export const GENERIC_BLAME =
  /\b(end[- ]users?'?s?|the user's) (connection|network|device|side)\b|\bdevice performance\b|设备性能|网络丢包|\b(network|connection) (fluctuation|instability|jitter|congestion|issues?|problems?|conditions?)\b|\b(unstable|poor|weak|bad|slow|fluctuating) (network|connection|internet|wi-?fi)\b|网络(状况|环境|质量)?(波动|不稳定|较差|不佳|不好|抖动|问题|环境)|弱网/iu;

export const CLEARS_ITSELF =
  /\bnot (related to|caused by) (our|the) (service|platform|sdk|servers?)\b|\bnot an? (platform|sdk|server|agora|service) (issue|problem)\b|\bnothing to do with (our|the) (service|platform|sdk|servers?)\b|(跟|和|与)(我们|我方|平台|服务端?)[^。！？]{0,8}(没有|无)关(系)?|(并非|不是)(我们|平台|服务端|SDK)的?问题/iu;

export const CLOSING = /^(solved|closed|resolved)$/i;

export const CLOSES_TICKET =
  /\b(i('ll| will)|we('ll| will)) (now )?(resolve|close|mark|set)\b[^.?!]{0,30}\b(ticket|case|request|this|it)\b|\b(marking|setting|closing|resolving) (this|the) (ticket|case|request)\b|\bclosing\b\s*[—–-]|\bclosing the loop\b|\bclosing (this( one)?|it|#?\d{3,}|the (ticket|case|request))\b|\bthe issue (is|has been) (now )?resolved\b|结单|(先)?关单|工单(先)?关(了|闭)|(工单|case|Case)[^。！？]{0,6}(将|会)[^。！？]{0,12}关闭|\bclosing the (thread|topic|issue)\b|(标记|设置?)为已解决/iu;

export const CONCLUDES =
  /已确认|\bsolution\b[^.\n]{0,20}\b(marked|accepted)\b|\baccepted (answer|solution)\b|查到了|定位了|找到(了)?原因|\b(that|this) is (the|what) (freeze|stall|silence|problem|issue)\b|\bthat'?s what (the students|you|they) saw\b|(^|[\n.!]\s*)confirmed\b|\b(we|i)( have|'ve)? confirmed\b|\bfixed in (v?\d|today|the|our|this)|\b(short version|bottom line|tl;?dr)\b|(不是|并非)(我们|平台|我方)?(的)?(服务端|服务器|平台|服务)(这边|那边)?的?(问题|故障)|(我们|平台|我方)的(服务|服务端|服务器)[^。！？]{0,12}(一切|均|都)?正常|\bour (service|platform|servers?|infrastructure) (was|were|worked|operated|ran) (working )?(normally|normal|fine|healthy|as expected)\b|(^|\n)\s*(resolved|confirmed|fixed)\s*[—–:-]|\bour bad\b|\b(we|i)( have|'ve)? (patched|hotfixed|fixed) (it|this|that|the)\b|\bpatched (it|last|this|yesterday|today|overnight)\b|\b(analysis|investigation|review) (of [^.?!]{0,40})?(is|was|has been) (now )?(complete|completed|finished|done)\b|\b(we|i)( have|'ve)? (completed|finished|concluded) (our|the) (analysis|investigation|review)\b|已(经)?修(复|了|好)|修好了|\bconfirmed (it's|it is|that)\b|\bnothing (wrong )?on our (end|side)\b|(跟|和|与)[^。！？]{0,8}(没关系|没有关系|无关)|\b(that|this|which) (is|was) the (root )?cause\b|\bthe culprit (was|is)\b|\bit turned out\b|\bby elimination\b|\bthat leaves\b|\bwe (found|confirmed|determined) that\b|\bcan confirm\b|\bconclusion\b|结论|已定位|定位到|原因如下|原因就是|问题原因|(?<![请麻烦帮忙再您你想先])确认(是(?!不是|否)|为)/iu;

// The vendor says it checked, not asks us to: "我们这边确认了一下", "确认是…", "we have verified".
export const CHECKED_IT = /\bafter (checking|investigat\w*|review\w*|analy[sz]\w*)\b|经(过)?(后台|研发|技术|工程师)?(同事)?(检查|排查|分析|核实|核查)|已确认|确认(本次|该|此|这次)[^。！？，]{0,12}为|(?<![请麻烦帮忙再您你想先])确认(了一下|了|是(?!不是|否)|过)|\b(we|i)( have|'ve)? (confirmed|verified|double-checked)\b/iu;

// More to come: "checking which edge…", "will send details tomorrow", "再确认一下", "want to check the edge logs".
export const STILL_WORKING =
  /\b(checking|looking (at|into)|will (send|share|check|look|confirm|update|follow)|want to (check|confirm|look)|need to (check|confirm)|before (we|i) (call|close|confirm)|details (to follow|tomorrow|soon))\b|再(确认|看|查)|确认一下|进一步|稍后|随后|明天/iu;

// The vendor says it is not sure yet: a cause beside this is a hypothesis, whatever else it rules out.
export const UNSURE = /\b(we|i) suspect\b|\bsuspect(ed)? (that|a|an|the)\b|\bnot (yet )?sure\b|\bpreliminar\w*|\b(i|we) think\b|\blooks like\b|\bmy (guess|hunch)\b|怀疑|初步|我觉得|看起来|不确定|猜测|疑似/iu;

// Still investigating: a hypothesis, not the settled cause.
export const ONGOING =
  /\b(still (checking|looking|investigating|digging)|(i am|i.m|we are|we.re) (going through|writing (it )?up)|will (add|post|share) (what|the details|more|an update)|will (update|report back|confirm|follow up|get back)|checking (with|whether|the)|digging into|looking into|investigating|i'll (confirm|update|check)|keep you (posted|updated))\b|正在(排查|分析|确认|调查)|还在(看|查|排查|确认)|稍后(同步|回复|更新)|进一步(排查|确认|分析|定位)|我再(核对|确认|看)|整理好后|(给您|同步)(初步)?结论|继续(排查|跟进|分析)|有(结论|进展)后|(我们|我)(再)?看看|再看下/iu;

// A fix that exists somewhere: a version, a deployment. "The solution is to restart" is advice.
export const SHIPPED = /\bv?\d+\.\d+(\.\d+)?\b|\b(deployed|rolled out|released|ships|shipped|hotfix|patch)\b|上线|发布|部署|热修复/iu;

// A cause told as a rule of thumb: "this kind of freeze is caused by…", "这种情况是…造成的".
export const STOCK_CAUSE = /\b(this|that|such) (kind|type|sort) of\b|\b(when(ever)?|since|as|if) only one (student|user|participant|viewer|receiver|subscriber)\b|\b(issues?|problems?|freez\w*|stutter\w*|silences?|lag\w*|cases?|situations?)\b[^.?!]{0,12}\blike this\b|\b[\w-]+ like this (is|are|can|usually|typically|generally|often|happens?)\b|\b[\w-]+ (issues|problems) (on|in|with) (the )?[\w-]+ (are|is) (usually |typically |generally |mostly |often )?(caused|due)\b|这种情况|这类(问题|情况)|此类(问题|情况)|一般(都)?是/iu;

export const RESOLUTION: (Phrase & { byElimination?: boolean })[] = [
  { pattern: /\broot[- ]?cause\b[^.?!]{0,60}?(\bis\b|\bwas\b|[:：]|\bhas been (identified|found|determined)\b|\bturned out\b)/iu, label: 'states the root cause' },
  { pattern: /\b(identified|found|determined|located|traced|pinpointed)\b[^.?!]{0,30}\b(root[- ]?cause|the cause|the culprit)\b/iu, label: 'states the root cause' },
  { pattern: /\bthe (cause|reason) (of|for|behind) (the|this|that|your)\b[^.?!]{0,40}?\b(is|was)\b|\bthe cause (is|was)\b/iu, label: 'states the cause' },
  { pattern: /\b(was|is|were|are|has been) (caused|triggered) by\b|\bturned out to be\b/iu, label: 'states the cause' },
  { pattern: /\b(freez\w*|stall\w*|issue|problem|outage|incident|interruption|black screen)\b[^.?!]{0,30}\b(was|is)\s+due to\b/iu, label: 'states the cause' },
  { pattern: /\b(we|i)('ve| have)?\s+(now\s+|already\s+|just\s+)?(fixed|patched|corrected|resolved|repaired)\b/iu, label: 'states the fix' },
  { pattern: /\b(issue|problem|bug|freez\w*|it|this|that)\s+(has|have|is|was) (now )?(been )?(fixed|patched|corrected|repaired)\b|\b(issue|problem|bug)\s+(has|have) (now )?been resolved\b/iu, label: 'states the fix' },
  { pattern: /\bfixed in (version |v|sdk |release |build )?\d|\bfixed in [\w.@/-]+ v?\d|\bthe fix\b[^.?!]{0,50}\b(is in|rolled out|went out|shipped|ships|is live)\b|\b(this|it) is a known (defect|bug|issue|regression) in\b|\b(this one )?was on us\b|\bour (fault|bug|mistake)\b|\bis what (froze|caused|broke|stopped|interrupted)\b|\bhas been addressed\b|\b(originated|stemmed) (on|from|in|at) (the|your|our)\b|\b(it|this|that) was an? ([\w-]+ )?(publisher|subscriber|client|server|network|sender|receiver)[- ]side\b|\b(which|that) (fixes|fixed|resolves|resolved) (this|the|your)\b/iu, label: 'states the fix' },
  { pattern: /\b(deployed|released|rolled out|pushed|shipped|applied|published)\b[^.?!]{0,20}\b(fix|patch|hotfix|hot-fix)\b|\b(fix|patch|hotfix)\b[^.?!]{0,20}\b(has been|was|is now|is) (deployed|released|rolled out|applied|live)\b/iu, label: 'states the fix' },
  { pattern: /\bresolved by\b|\bthe (fix|solution|remedy|workaround) (is|was)\b|\b(has|have) (since |now )?been (corrected|restored|rolled back|reverted|mitigated)\b/iu, label: 'states the fix' },
  { pattern: /\b(root )?cause (found|identified|confirmed|located|determined|established)\b|\bfound (it|the (root )?cause|the culprit)\b|\b(was|is) (the|your) (problem|culprit)\b/iu, label: 'states the root cause' },
  { pattern: /\b(this|the|that|your) (issue|problem|freeze|stall|stutter|silence|outage|interruption|behaviou?r) (was|is) (entirely )?(client|server|network|publisher|subscriber|device|browser)[- ]side\b/iu, label: 'states the cause' },
  // "So this is the teacher's client pausing its video, not a media-path problem": a cause, by elimination.
  { pattern: /\b(so|thus|therefore|hence)\b[^.?!]{0,100}\bnot (a |an |the |our |your )?(sfu|server|platform|sdk|network|media[- ]path|client|edge|backend)\b|\bnot (a|an) (platform|sdk|server|network) (issue|problem)\b/iu, label: 'states the cause', byElimination: true },
  { pattern: /根本原因|根因|原因(是|为|在于)|原因[:：]|原因如下|问题已(经)?(查明|定位)|原因(已经?)?(确认|找到|查明|定位)|问题出(在|于)|(是|系|为)(由于|因为|由)?[^。！？]{1,40}(导致|造成|引起|引发)的?|这(就)?是[^。！？]{0,30}的(根本)?原因|(属于|是)[^。！？]{1,30}问题[，,]\s*(跟|和|与)[^。！？]{1,12}无关/u, label: 'states the root cause' },
  { pattern: /已(经)?(修复|修正|解决|上线修复|发布修复)|已在[^。！？]{0,20}修复|已于[^。！？]{0,16}(完成)?修复|修复(已|已经)(上线|发布|部署|生效)|(上线|发布|部署)了?(修复|补丁|热修复)|解决(方法|方案|办法)(是|为|[:：])|通过[^。！？]{1,30}(解决|修复)了?/u, label: 'states the fix' },
];

export const RESOLUTION_GUARD =
  /\b(preliminar\w*|initial(ly)?|tentative\w*|i think|i believe|more like|would explain|may|might|could|possibl[ey]|probabl[ey]|likely|perhaps|maybe|seems?|appears?|suspect(ed)?|usually|often|typically|generally|commonly|common|normally|sometimes|if|whether|once|until|not|never|unable|cannot|yet|still|unknown|unclear|investigating|looking into|working on|trying|will|going to|plan(ned)?|scheduled|expected|upcoming|soon|in progress)\b|n't|'ll|可能|也许|或许|大概|似乎|好像|疑似|怀疑|猜测|通常|一般|往往|常见|经常|有时|如果|如(?=问题|您|有)|若|假如|是否|未|没|尚|还在|仍在|正在|待|将会|将在|将于|会在|会于|尽快|会导致|会造成|会引起|会出现|计划|预计|可以|排查中|分析中|调查中|处理中|初步|暂时|目前看|应该|看起来|看上去|看着|我觉得|我认为|看着像|看起来像|是不是|确认(一下)?是否|想(先)?确认/iu;

// Hand-overs that happened or are happening. The team is named so that "assigned it to me" is not one.
const ESCALATION_TEAM = String.raw`(engineer|r&d|research and development|develop|product (team|group)|tier[- ]?(2|3|two|three)|level[- ]?(2|3)|l2|l3|second[- ]line|2nd[- ]line|third[- ]line|specialist|expert|sdk team|media team|backend|back-end)`;
export const ESCALATION: RegExp[] = [
  /\bescalat(ed|ing)\b[^.?!]{0,60}\b(to|with)\b|\b(has|have|had) been escalated\b|\b(i|we)('ve| have| had)? escalated (this|it|your (ticket|case|request|issue)|the (ticket|case|request|issue))\b/iu,
  new RegExp(
    String.raw`\b(raised|forwarded|passed|transferred|handed|assigned|escalated|sent|moved)\s+(this|it|your (ticket|case|request|issue)|the (ticket|case|request|issue)|this (ticket|case|request|issue))\s+(over\s+|on\s+)?(to|with)\s+(our|the|a)\b[^.?!]{0,30}${ESCALATION_TEAM}|` +
      String.raw`\b(has|have|had) been (transferred|forwarded|handed over|passed( on)?|assigned|raised|sent|moved)\s+(to|with)\s+(our|the|a)\b[^.?!]{0,30}${ESCALATION_TEAM}`,
    'iu',
  ),
  /(升级|提交|转交|转给|反馈给|反馈至|转到|转至|同步给|移交)[^。！？]{0,10}(研发|技术专家|专家|二线|三线|工程师|产品|后端|SDK\s*团队|开发)/iu,
];
// A plan, an offer or a request, said before the hand-over in its clause: "we will", "we can", "请".
export const ESCALATION_GUARD =
  /\b(if|can|could|would|may|might|unless|once|whether|will|shall|should|going to|plan(ning)? to|want to|need to|please)\b|'ll\b|如果|若|可以|可能|如需|需要的话|(?<!已|已经)将|会|是否|打算|计划|准备|请|麻烦|建议/iu;
// A condition anywhere before it in the sentence: "If it persists, we escalate to R&D."
export const CONDITION_BEFORE = /\b(if|unless|once|should|in case)\b|如果|若|假如|万一|一旦|倘若|如需/iu;

// Someone is on it now ("正在排查", "our engineers are investigating"): an acknowledgement says
// the ticket will be looked at, never that it is being looked at.
export const IN_PROGRESS =
  /正在(处理|排查|调查|跟进|分析|核实|查看|检查)|(工程师|技术|研发|同事|团队)[^。！？]{0,6}(正在|在)(处理|排查|跟进|分析|查看)|\b(is|are|am) (currently |now |still )?(investigating|looking into|analy[sz]ing)\b/iu;

export const HOLDING: RegExp[] = [
  /\b(we are|we're|i am|i'm)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|checking|working on|reviewing|analy[sz]ing)\b/iu,
  /\bour (engineers?|team|technical team|support team|developers|r&d( team)?|engineering team|experts?|specialists?)\s+(is|are|will be)\s+(currently\s+|still\s+|now\s+)?(looking into|investigating|working on|checking|analy[sz]ing|reviewing)\b/iu,
  /\b(will|shall) (get back to you|update you|keep you (posted|updated|informed)|follow up|reach out|contact you|respond|reply)\b|\bget back to you\b/iu,
  /\bthank(s| you) for your (patience|understanding)\b|\bas soon as (possible|we can)\b|\b(apologi[sz]e|sorry) for (any|the) inconvenience\b/iu,
  /正在(处理|排查|调查|跟进|分析|核实|确认|查看|检查)|(工程师|技术|研发|同事|团队)[^。！？]{0,6}(正在|在)(处理|排查|调查|跟进|分析|查看)|(会|将)尽快|尽快(回复|处理|给您|答复)|耐心等待|感谢(您的)?(耐心|理解)|稍后(回复|联系|答复|给您)|(带来|造成)的?不便|有(进展|结果)(后)?(会)?(第一时间)?(通知|告知|联系)/u,
];

export const INFO_LABELS: Record<InfoKind, string> = {
  'sdk-version': 'the SDK version',
  browser: 'the browser',
  os: 'the operating system',
  channel: 'the channel name',
  uid: 'the user ids',
  timestamps: 'the times',
  logs: 'the logs',
  screenshots: 'screenshots or recordings',
  'app-id': 'the App ID',
  network: 'the network details',
  steps: 'the steps to reproduce',
};

export const EVIDENCE: RegExp[] = [
  /\b(the|your)\s+(attached\s+)?(chart|graph|screenshots?|timeline(\.json)?|console logs?|logs?|stats|evidence|recording|video)\s+(you|that you)\s+(attached|sent|provided|shared|uploaded|included)\b/iu,
  /\b(in|from|according to|looking at|based on|per)\s+(the|your)\s+(attached\s+)?(chart|graph|screenshots?|timeline(\.json)?|console logs?|logs?|stats timeline|freeze episodes?( table)?)\b/iu,
  /\btimeline\.json\b|\bchart\.png\b|\bconsole\.log\b|\b(freeze )?episodes? (table|list)\b|\bthe (attached|provided)\s+(chart|graph|screenshots?|timeline|logs?)\b/iu,
  /(您|你)(提供|上传|附上|发送|给)的[^。！？]{0,6}(日志|截图|图表|录屏|数据|时间线)|(从|根据|通过)(您的|你的|附件中?的?)[^。！？]{0,4}(日志|截图|图表|录屏|时间线)|附件(中|里)的?(日志|截图|图表)|(截图|图表)(中|里|上)/u,
];

export const ANALYSIS: RegExp[] = [
  /\b(our|the) (logs?|data|analytics|records|metrics|stats|call search|dashboard|monitoring)\s+(show|shows|showed|indicate|indicates|indicated|suggest|suggests|reveal|reveals|confirm|confirms)\b/iu,
  /\b(we|i)('ve| have)?\s+(checked|looked at|reviewed|analy[sz]ed|examined|went through|gone through|inspected|traced|dug into|investigated)\s+(the|your|our|this|agora analytics|analytics|call search)\b/iu,
  /\baccording to (our|the|your) (logs?|data|analytics|records|call search|dashboard|metrics|stats)\b|\bin (our|the server|the) (call |server |quality |edge |media )?(logs|records|data|call search|analytics|dashboard)\b/iu,
  /\b(we|i) (can )?see (that|a|an|the|in|from)\b|\b(we|i) (noticed|observed|found|identified|confirmed|reproduced)\b/iu,
  /经(过)?(后台|研发|技术)(同事)?(排查|分析|核查|核实)|(我们|我)?(查看|检查|分析|排查|核查|查询|复现)(了|过)|(从|根据|通过)[^。！？]{0,6}(日志|数据|后台|通话记录|监控|质量数据|水晶球|仪表盘|星图)[^。！？]{0,4}(来看|看|显示|中|上)|(仪表盘|监控|后台|星图|水晶球)[^。！？]{0,4}(显示|上看|里看|来看)|(日志|数据|后台|监控)(显示|表明|中可以看到|可以看到)|(我们|我)(发现|看到|注意到|观察到|确认|定位到)/u,
];

// Data a person would only write after looking: measurements, times of day, uids, error codes.
// Written so that no run of digits or spaces can be split between two quantifiers in many ways:
// `\d+` starts where the digits start, and `\s*[:：]?\s*` is `(?:\s*[:：])?\s*`. Both match the same
// texts as the obvious spelling, which takes seconds on a long run of digits or spaces.
export const MEASUREMENT =
  /(?<!\d)\d+(\.\d+)?\s*(%|％|ms\b|s\b|sec\b|seconds?\b|kbps\b|mbps\b|fps\b|秒|毫秒|帧)|\b\d{1,2}:\d{2}\b|\buid(?:\s*[:：])?\s*\d+|\b(error|code|错误码)(?:\s*[:：])?\s*\d{3,}/iu;

export const TIME_OF_DAY = /(?<![\d:])\d{1,2}:\d{2}(:\d{2})?(?![\d])/u;
