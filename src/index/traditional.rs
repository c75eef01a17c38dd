//! The characters Traditional→Simplified folding may change.
//!
//! Most Chinese text in a corpus is Simplified and has none of them: a text is checked against
//! this table first (one bit per character), and only a text with one of them goes through
//! `fast2s`, whose three hash lookups per character were 5 % of a bulk build. The table is the
//! key set of fast2s 0.3's mapping plus its context-dependent characters; a unit test checks it
//! against fast2s over every character, so a fast2s upgrade that adds a key fails the tests
//! instead of leaving a character unfolded.

/// Every character fast2s 0.3 may fold, all in U+4E00..U+9FFF (3 UTF-8 bytes each).
const TRADITIONAL: &str = "\
丟並乾亂亙亞仝佇佈佔併來侖侶侷俁係俠倆倈倉個們倖倣倫偉側偵偸偽傑傖傘備傚傢傭傯傳\
傴債傷傾僂僅僉僑僕僞僥僱價儀儂億儈儉儐儔儕儘償優儲儷儸儺儻儼兇兌兒兗內兩冊冪凍凜\
凟凱別刪剄則剋剎剛剝剮剴創剷劃劄劇劉劊劌劍劑劒勁動勗務勛勝勞勢勣勦勱勳勵勸勻匭匯\
匱區協卹卻厙厠厤厭厰厲參叄叢吒吳吶呂呱呵員唄唸問啓啞啟啢啣喚喪喫喬單喲嗆嗇嗎嗚嗩\
嗶嘆嘍嘔嘖嘗嘜嘩嘮嘯嘰嘸噁噓噝噠噥噯噲噴噸噹嚀嚇嚕嚙嚥嚦嚨嚮嚳嚴嚶囀囂囈囉囑囘囪\
囬圇國圍園圓圖團坰埡埰執堅堊堝堦堯報場堿塊塋塏塗塚塢塤塲塵塹塼墊墜墮墳墻墾壇壋壎\
壓壘壙壞壟壠壢壩壯壺壼壽夀夠夢夥夾奐奧奩奪奬奮妝姍姦姪娛婁婦婬婭媧媮媯媼媽嫋嫗嫵\
嫺嫻嬀嬈嬋嬌嬙嬡嬤嬪嬭嬰嬸嬾孃孌孫學孿宮寜寢實寧審寫寬寵寶將專尋對導尷屆屍屜屢層\
屬屭岡峴島峽崍崐崑崗崙崢嵐嵗嶄嶇嶔嶗嶠嶢嶧嶴嶸嶺嶼嶽巋巒巔巖巗巰巹帥師帳帶幀幃幗\
幘幟幣幫幬幹幾庫廁廂廄廈廎廏廐廕廚廝廟廠廡廢廣廩廬廳廻廼弒弔弳張強彈彊彌彎彙彜彠\
彥彫彷彿後徑從徠復徬徵徹恆恥悅悵悶悽惡惱惲惻愛愜愨愴愷愾慄態慍慘慚慟慣慤慫慮慳慶\
慾憂憊憐憑憒憚憤憫憮憲憶懇應懌懍懟懣懲懶懷懸懺懼懽懾戀戇戔戧戩戯戰戲戶扡拋挾捍捨\
捫捲掃掄掙掛採揀揚換揮揹搆損搖搗搶搾摑摜摟摣摯摳摶摺摻撃撈撐撓撚撟撣撥撫撲撳撻撾\
撿擁擄擇擊擋擔擕據擠擡擣擧擬擯擰擱擲擴擷擺擻擼擾攄攆攏攔攖攙攛攜攝攢攣攤攪攬攷敍\
敗敘敵數敺斂斃斕斬斲斷於旂昇時晉晝暈暉暘暢暫暱曄曆曇曉曖曠曡曬書會朧朮東杴柵桿梔\
梘條梟梱棄棖棗棟棧棲棶椏楊楓楨業極榦榮榿槃構槍槓槤槨槮槳樁樂樅樑樓標樞樣樸樹樺橈\
橋機橢橫檁檉檔檜檟檢檣檮檯檳檸檻櫃櫓櫚櫛櫝櫞櫟櫥櫨櫪櫫櫬櫳櫸櫺櫻欄權欏欒欖欽歎歐\
歛歟歡歲歷歸歿殘殞殤殫殭殮殯殲殺殻殼毀毆毉毬毿氂氈氊氣氫氬氳氾汎汙汚決沒沖況泝洩\
洶浹涇涖涼淒淚淥淨淩淪淵淶淺渙減渢渦測渾湊湞湣湧湯溈準溝溫溮溼滄滅滌滎滙滬滯滲滷\
滸滻滾滿漁漊漚漢漣漬漲漵漸漿潁潑潔潛潤潯潰潿澀澁澂澆澇澗澠澤澮澱濁濃濕濘濛濟濤濫\
濬濰濱濶濺濼濾瀅瀆瀉瀋瀏瀕瀘瀝瀟瀠瀦瀧瀨瀰瀲瀾灃灑灕灘灝灣灤灩災炁炤為烏烱烴無煅\
煆煇煉煒煖煙煢煥煩煬熅熒熗熱熲熾燁燄燈燉燐燒燙燜營燦燬燭燴燻燼燾燿爍爐爛爭爲爺爾\
牀牆牋牐牘牴牽犖犛犢犧狀狹狽猙猶猻獁獃獄獅獎獨獪獫獮獰獲獵獷獸獺獻獼玀玆玨珮現琯\
琱琺琿瑉瑋瑒瑣瑤瑩瑪瑯瑲璉璡璣璦璫環璵璽璿瓊瓏瓔瓚甌甎甕產産甦甯畝畢畫畬異畱當疇\
疊疋痙痠痺瘋瘍瘓瘞瘡瘧瘺瘻療癆癇癉癒癘癟癡癢癤癥癩癬癭癮癰癱癲發皐皚皰皸皺盃盜盞\
盡監盤盧盪眎眡眥眾睜睞瞇瞞瞭瞼矇矚矯矽砲硃硜硤硨硯碩碭碸確碼磐磑磚磧磯磽礄礎礙礦\
礪礫礬礮礱祐祕祗祿禍禎禕禦禪禮禰禱禿秈稅稈稜稟稭種稱穀穌積穎穠穡穢穨穩穫窩窪窮窯\
窰窵窶窺竄竅竇竈竊竝竪競筆筍筦筧箇箋箏節範築篋篔篛篠篤篩篳簀簍簑簞簡簣簫簷簹簽簾\
籃籌籐籙籛籜籟籠籤籥籩籬籮籲粧粵糞糢糧糰糲糴糶糾紀紂約紅紆紇紈紉紋納紐紓純紕紗紘\
紙級紛紜紝紡紥紮細紱紲紳紵紹紺紿絀終絃組絆絎結絕絛絝絞絡絢給絨絰統絲絳絶絹綁綃綆\
綉綏綑經綜綞綠綢綣綫綬維綯綰綱網綳綴綵綸綹綺綻綽綾綿緄緇緊緋緑緒緗緘緙線緜緝緞締\
緡緣緦編緩緬緯緱緲練緹緻縂縈縉縊縋縐縑縛縝縞縟縣縧縫縭縮縱縲縴縵縶縷縹總績繃繅繆\
繒織繕繖繙繚繞繡繩繪繫繭繮繯繳繹繼繽繾纇纈纊續纍纏纓纔纖纘纜缐缽罈罌罎罰罵罷羅羆\
羈羋羥羨義羶習翬翹翺翽耑耬聖聞聯聰聲聳聵聶職聹聼聽聾肅脅脇脈脛脣脩脫脹腎腖腦腫腳\
腸膚膠膩膽膾膿臉臍臏臘臚臟臠臥臨臯臺與興舉舊舖舘艙艤艦艫艱艶艷芻苧茲荊莊莖莢莧華\
菴菸萇萊萬萵葉葒著葦葯葷蒐蒓蒔蒞蒼蓀蓆蓋蓧蓮蓯蓴蓽蔆蔔蔞蔣蔥蔦蔭蔴蕁蕎蕒蕕蕘蕢蕩\
蕪蕭蕷薀薈薊薌薑薔薘薟薦薩薰薺藉藍藎藝藥藪藴藶藹藺蘄蘆蘇蘊蘋蘗蘚蘞蘢蘭蘿處虛虜號\
虧虯蛺蛻蜆蝕蝟蝦蝨蝸螄螘螞螢螻螿蟄蟈蟎蟬蟯蟲蟶蟻蠅蠆蠍蠐蠑蠔蠟蠣蠱蠶蠻衆衊術衕衚\
衛衝衞衹袞裏補裝裡製複褌褘褲褳褸褻襆襍襖襠襤襪襬襯襲襴覈見規覓覔視覘覡覥覦覧親覬\
覯覲覷覺覽觀觔觝觴觶觸訂訃計訊訌討訐訓訕訖託記訛訝訟訢訣訥訪設許訴訶診註証詁詆詎\
詐詒詔評詗詘詛詞詠詡詢詣試詩詫詬詭詮詰話該詳詵詼詿誄誅誆誇誌認誑誒誕誘誚語誠誡誣\
誤誥誦誨說説誰課誹誼調諂諄談諉請諍諏諒論諗諛諜諡諢諤諦諧諫諭諮諱諳諶諷諸諺諾謀謁\
謂謄謊謎謐謔謖謗謙謚講謝謠謡謨謫謬謳謹謾譁證譌譎譏譖識譙譚譜譟譫譯議譴護譽讀變讌\
讎讐讒讓讕讖讚讜讞谿豈豎豐豔豬貍貒貓貝貞負財貢貧貨販貪貫責貯貰貲貳貴貶買貸貺費貼\
貽貿賀賁賂賃賄賅資賈賊賑賒賓賔賕賙賚賜賞賠賡賢賣賤賦賧質賬賭賴賸賺購賽賾贄贅贇贈\
贊贋贍贏贓贔贖贗贛赬趕趙趨跡跼踐踴蹌蹕蹟蹠蹣蹤蹺躂躉躊躋躍躑躒躕躡躥躪軀車軋軌軍\
軑軒軔軛軟軫軲軸軹軻軼軾較輅載輊輒輓輔輕輛輜輝輞輟輥輦輩輪輭輯輳輸輻輾輿轂轄轅轆\
轉轍轎轟轡轢轤辤辦辭辮辯農迴迺逕這連週進遊運過達違遙遜遞遠適遲遷選遺遼邁還邇邊邏\
郟郵鄆鄉鄒鄔鄕鄖鄘鄧鄭鄰鄲鄴鄶鄺酈醃醖醜醞醤醫醬醯醱釀釁釋釐釓釔釕釗釘釙針釣釤釦\
釧釩釬釵釷釹釺鈀鈁鈃鈄鈈鈉鈍鈎鈐鈑鈒鈔鈕鈞鈣鈥鈦鈧鈮鈰鈳鈴鈷鈸鈹鈺鈽鈾鈿鉀鉄鉅鉈\
鉉鉋鉍鉑鉕鉗鉚鉛鉞鉢鉤鉦鉬鉭鉶鉸鉺鉻鉿銀銃銅銍銑銓銖銘銚銛銜銠銣銥銦銨銩銪銫銬銲\
銳銷銹銻銼鋁鋂鋅鋇鋌鋏鋒鋙鋟鋤鋥鋦鋨鋪鋭鋮鋯鋰鋱鋶鋸鋻鋼錁錄錇錐錒錕錘錚錛錟錠錡\
錢錦錨錩錫錮錯録錳錶錸錼鍀鍆鍇鍊鍋鍍鍔鍘鍚鍛鍠鍤鍥鍩鍬鍰鍵鍶鍺鍼鍾鎂鎄鎊鎔鎖鎘鎚\
鎛鎢鎣鎦鎧鎩鎬鎮鎰鎳鎵鎸鎿鏃鏇鏈鏌鏐鏑鏗鏘鏜鏝鏞鏟鏡鏢鏤鏵鏷鏹鏽鐃鐐鐒鐓鐔鐘鐙鐠\
鐡鐦鐧鐨鐫鐮鐲鐳鐵鐸鐺鐿鑄鑊鑌鑑鑒鑔鑕鑞鑠鑣鑥鑪鑭鑰鑲鑷鑼鑽鑾鑿钂長門閂閃閆閈閉\
開閎閏閑閒間閔閘閙閡関閣閤閥閧閨閩閫閬閭閱閲閶閹閻閼閽閾閿闆闈闊闋闌闍闐闒闓闔闕\
闖關闞闡闢闥阨阪阬阯陘陜陝陞陣陰陳陸陽隂隄隊階隕隖際隣隨險隱隴隷隸隻雋雖雙雛雜雞\
離難雲電霑霧霽靂靄靈靚靜靦靨靭鞀鞏鞦鞽韁韃韆韋韌韓韙韜韝韞韻響頁頂頃項順頇須頊頌\
頎預頑頒頓頗領頜頡頤頦頫頭頰頲頴頷頸頹頻頽顆題額顎顏顒顓顔願顙顛類顥顧顫顬顯顰顱\
顳顴風颮颯颱颳颶颺颼飄飆飇飈飛飢飥飩飪飫飭飯飲飴飼飽飾餃餄餅餉養餌餎餑餒餓餕餘餚\
餛餜餞餡餧館餵餺餽餾餿饃饅饈饉饊饋饌饑饒饗饞饢馬馭馮馱馳馴駁駐駑駒駔駕駘駙駛駝駟\
駡駢駭駮駰駱駸駿騁騂騅騎騏騐騙騣騤騫騭騮騰騶騷騸騾驀驁驂驃驄驅驊驌驍驕驗驚驛驟驢\
驤驥驪骯髏髒體髕髖髣髩髮髴鬆鬍鬚鬢鬥鬧鬨鬩鬭鬮鬱魎魘魚魛魢魨魯魴魷鮁鮃鮊鮋鮍鮎鮐\
鮑鮒鮓鮜鮞鮪鮫鮭鮮鮶鯀鯁鯇鯉鯊鯒鯔鯕鯖鯗鯛鯝鯡鯢鯤鯧鯨鯪鯰鯷鯽鯿鰂鰃鰈鰉鰌鰍鰏鰐\
鰒鰓鰜鰟鰣鰥鰨鰩鰭鰮鰱鰲鰳鰵鰷鰹鰺鰻鰼鰾鱂鱅鱈鱉鱒鱔鱖鱗鱘鱝鱟鱠鱣鱤鱧鱨鱭鱷鱸鱺\
鳥鳧鳩鳬鳳鳴鳶鴆鴇鴉鴒鴕鴛鴝鴞鴟鴣鴦鴨鴯鴰鴴鴻鴿鵂鵐鵑鵒鵓鵜鵝鵞鵠鵡鵪鵬鵯鵰鵲鶇\
鶉鶓鶖鶘鶚鶡鶤鶥鶩鶯鶲鶴鶹鶺鶻鶼鶿鷀鷁鷂鷄鷊鷓鷖鷗鷙鷚鷥鷦鷯鷲鷴鷸鷹鷺鸌鸏鸕鸚鸛\
鸝鸞鹵鹹鹼鹽麅麗麥麩麪麫麯麴麵麹麼麽黃黌黏點黨黴黷黽黿鼂鼇鼈鼉鼴齊齋齎齏齒齗齙齜\
齟齠齡齣齦齧齪齬齲齶齷龍龐龔龕龜";

const BASE: u32 = 0x4E00;
const END: u32 = 0xA000;
const WORDS: usize = ((END - BASE) / 64) as usize;

static BITS: [u64; WORDS] = bitmap();

const fn bitmap() -> [u64; WORDS] {
    let bytes = TRADITIONAL.as_bytes();
    let mut bits = [0u64; WORDS];
    let mut i = 0;
    while i + 2 < bytes.len() {
        let c = ((bytes[i] as u32 & 0x0F) << 12)
            | ((bytes[i + 1] as u32 & 0x3F) << 6)
            | (bytes[i + 2] as u32 & 0x3F);
        assert!(c >= BASE && c < END && bytes[i] & 0xF0 == 0xE0);
        let k = (c - BASE) as usize;
        bits[k / 64] |= 1 << (k % 64);
        i += 3;
    }
    assert!(i == bytes.len());
    bits
}

/// Whether fast2s may fold `c` (in some context).
#[inline]
pub(super) fn is_traditional(c: char) -> bool {
    let u = c as u32;
    if !(BASE..END).contains(&u) {
        return false;
    }
    let k = (u - BASE) as usize;
    BITS.get(k / 64).is_some_and(|w| w >> (k % 64) & 1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_character_fast2s_folds() {
        // Alone, between Chinese characters, and before and after the context-dependent ones:
        // fast2s looks at the neighbours only for the characters of its special lists.
        for u in 0x80..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let alone = c.to_string();
            if fast2s::convert(&alone) != alone {
                assert!(
                    is_traditional(c),
                    "{c} U+{u:04X} folds but is not in the table"
                );
            }
        }
        // Characters fast2s folds only beside certain neighbours.
        let mut changed = 0;
        for word in [
            "藉口", "憑藉", "看著", "苧麻", "闔家", "鍾書", "校讎", "計畫",
        ] {
            let folded = fast2s::convert(word);
            for (a, b) in word.chars().zip(folded.chars()) {
                assert!(a == b || is_traditional(a), "{a} in {word}");
                changed += usize::from(a != b);
            }
        }
        assert!(changed >= 6, "{changed}");
        assert!(is_traditional('圖') && is_traditional('書') && is_traditional('藉'));
        assert!(!is_traditional('图') && !is_traditional('a') && !is_traditional('法'));
    }
}
