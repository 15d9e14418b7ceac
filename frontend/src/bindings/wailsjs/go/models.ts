export namespace app {
	
	export interface ActivityCard {
	    id: string;
	    title: string;
	    kind: string;
	    place: string;
	    starts: string;
	    ends: string;
	    description: string;
	    capacity: number;
	    signedUp: number;
	    confirmed: number;
	    waiting: number;
	    attended: number;
	    mine: boolean;
	    state: string;
	    cancelled: boolean;
	    signUpRefusal: string;
	}
	export interface ActivityStatus {
	    activityId: string;
	    capacity: number;
	    signedUp: number;
	    confirmed: number;
	    waiting: number;
	    attended: number;
	    signUpRefusal: string;
	    mine: boolean;
	    checkedIn: boolean;
	    place: string;
	    position: number;
	    promoted: boolean;
	    reason: string;
	}
	export interface AppInfo {
	    version: string;
	    role: string;
	    station: string;
	    stationName: string;
	    deviceName: string;
	    deviceId: string;
	    deviceCode: string;
	    demo: boolean;
	    hubUrl: string;
	    idleSeconds: number;
	    paired: boolean;
	    locale: string;
	    timeZone: string;
	}
	export interface BoardRankRow {
	    rank: number;
	    name: string;
	    score: number;
	    grade: string;
	    received: number;
	    handleRate?: number;
	    avgRating?: number;
	}
	export interface BoardRanking {
	    title: string;
	    period: string;
	    rows: BoardRankRow[];
	}
	export interface WordWeight {
	    word: string;
	    weight: number;
	}
	export interface BoardMilestone {
	    title: string;
	    due: string;
	    done: boolean;
	}
	export interface BoardProject {
	    name: string;
	    progress: number;
	    milestones: BoardMilestone[];
	}
	export interface BoardActivity {
	    title: string;
	    starts: string;
	    ends: string;
	    place: string;
	    attended: number;
	    capacity: number;
	    live: boolean;
	}
	export interface DutyRep {
	    name: string;
	    level: string;
	    signedIn: boolean;
	}
	export interface TickerItem {
	    at: string;
	    kind: string;
	    category: string;
	    community: string;
	    surnameMask: string;
	    text: string;
	}
	export interface TrendDay {
	    day: string;
	    submitted: number;
	    closed: number;
	}
	export interface NameCount {
	    name: string;
	    count: number;
	}
	export interface BoardFunnel {
	    submitted: number;
	    accepted: number;
	    assigned: number;
	    replied: number;
	    closed: number;
	}
	export interface BoardRateDefs {
	    response: string;
	    completion: string;
	    satisfaction: string;
	}
	export interface BoardRates {
	    response?: number;
	    completion?: number;
	    satisfaction?: number;
	}
	export interface BoardTotals {
	    year: number;
	    month: number;
	    today: number;
	    open: number;
	    overdue: number;
	}
	export interface Board {
	    generatedAt: string;
	    stationName: string;
	    offlineSince?: string;
	    totals: BoardTotals;
	    rates: BoardRates;
	    rateDefs: BoardRateDefs;
	    funnel: BoardFunnel;
	    categories: NameCount[];
	    trend: TrendDay[];
	    ticker: TickerItem[];
	    onDuty: DutyRep[];
	    activities: BoardActivity[];
	    projects: BoardProject[];
	    hotWords: WordWeight[];
	    ranking?: BoardRanking;
	}
	
	
	
	
	
	
	
	
	
	export interface TimelineEntry {
	    at: string;
	    kind: string;
	    label: string;
	    actor: string;
	    text: string;
	}
	export interface CaseSummary {
	    id: string;
	    number: string;
	    category: string;
	    categoryName: string;
	    text: string;
	    state: string;
	    submittedAt: string;
	    updatedAt: string;
	    overdue: boolean;
	    canRate: boolean;
	    rating: string;
	}
	export interface CaseDetail {
	    summary: CaseSummary;
	    community: string;
	    building: string;
	    repName: string;
	    deptName: string;
	    due?: string;
	    reply: string;
	    ratingComment: string;
	    statusUrl: string;
	    qrDataUrl: string;
	    timeline: TimelineEntry[];
	}
	export interface CaseInput {
	    category: string;
	    text: string;
	    community: string;
	    building: string;
	    phone: string;
	    anonymous: boolean;
	}
	
	export interface Category {
	    code: string;
	    name: string;
	    icon: string;
	    templates: string[];
	}
	export interface CheckInQR {
	    activityId: string;
	    url: string;
	    qrDataUrl: string;
	    window: number;
	    expires: string;
	    attended: number;
	}
	export interface ConfigView {
	    dataDir: string;
	    role: string;
	    name: string;
	    hubUrl: string;
	    reader: string;
	    scanner: string;
	    idleSeconds: number;
	    fullscreen: boolean;
	}
	export interface StoreStatus {
	    ok: boolean;
	    path: string;
	    error: string;
	    readOnly: string;
	}
	export interface PeripheralStatus {
	    state: string;
	    port: string;
	    simulated: boolean;
	    lastError: string;
	    lastEventAt?: string;
	}
	export interface Problem {
	    code: string;
	    params?: {[key: string]: string};
	}
	export interface SyncStatus {
	    state: string;
	    hubUrl: string;
	    lastSyncAt?: string;
	    offlineSince?: string;
	    errorCode: string;
	    outboxDepth: number;
	    lagEvents: number;
	    epoch: string;
	    cursor: number;
	    refused: number;
	    lastRefused?: Problem;
	}
	export interface DeviceStatus {
	    sync: SyncStatus;
	    reader: PeripheralStatus;
	    scanner: PeripheralStatus;
	    store: StoreStatus;
	}
	export interface Diagnostics {
	    info: AppInfo;
	    status: DeviceStatus;
	    config: ConfigView;
	    ports: string[];
	    pinSet: boolean;
	    restartNeeded: boolean;
	}
	
	export interface LogLine {
	    time: string;
	    level: string;
	    component: string;
	    message: string;
	}
	export interface MySignUp {
	    activity: ActivityCard;
	    status: ActivityStatus;
	}
	
	export interface PairResult {
	    station: string;
	    stationName: string;
	    deviceCode: string;
	    hubUrl: string;
	    live: boolean;
	}
	
	
	export interface PublicCase {
	    number: string;
	    categoryName: string;
	    state: string;
	    overdue: boolean;
	    community: string;
	    submittedAt: string;
	    due?: string;
	    timeline: TimelineEntry[];
	    mine: boolean;
	    caseId: string;
	}
	export interface ReadTest {
	    ok: boolean;
	    port: string;
	    simulated: boolean;
	    cardType: string;
	    name: string;
	    idMasked: string;
	    text: string;
	    timedOut: boolean;
	}
	export interface Receipt {
	    caseId: string;
	    number: string;
	    submittedAt: string;
	    statusUrl: string;
	    qrDataUrl: string;
	}
	export interface ReceptionInput {
	    resident: string;
	    community: string;
	    topic: string;
	    outcome: string;
	    asCase: boolean;
	    category: string;
	}
	export interface ReceptionReceipt {
	    id: string;
	    caseNumber: string;
	    caseId: string;
	}
	export interface RepCard {
	    id: string;
	    name: string;
	    gender: string;
	    level: string;
	    constituency: string;
	    title: string;
	    photoSeed: number;
	    photoUrl: string;
	    onDutyToday: boolean;
	    signedIn: boolean;
	    mine: boolean;
	    qrDataUrl: string;
	}
	export interface RepLoginQR {
	    url: string;
	    qrDataUrl: string;
	    expires: string;
	    refreshAt: string;
	}
	export interface RepSession {
	    id: string;
	    repId: string;
	    repName: string;
	    level: string;
	    photoSeed: number;
	    badge: string;
	    signedIn: boolean;
	    signedInAt?: string;
	    signedOutAt?: string;
	    startedAt: string;
	    idleSeconds: number;
	}
	export interface ScanResult {
	    ok: boolean;
	    kind: string;
	    code: string;
	    params?: {[key: string]: string};
	    repName: string;
	    signedIn: boolean;
	    number: string;
	    token: string;
	    at: string;
	}
	export interface Session {
	    id: string;
	    kind: string;
	    residentId: string;
	    surnameMask: string;
	    idMasked: string;
	    cardType: string;
	    returning: boolean;
	    needsConsent: boolean;
	    community: string;
	    startedAt: string;
	}
	export interface SetupResult {
	    live: boolean;
	}
	export interface SignUpQR {
	    activityId: string;
	    url: string;
	    qrDataUrl: string;
	}
	
	
	
	
	

}

