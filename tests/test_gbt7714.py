"""The pybtex style ``gbt7714``: exact entries from the examples of GB/T 7714-2015, the rules behind them
(names, 等/et al., dates, carrier mark, placeholders) and citation order.

Each expected string is the standard's own example (its 著录格式 with half-width punctuation), written here from
the fields a bib entry of this project would give.
"""
import re
from pathlib import Path

import pytest
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from zhbook.core.dates import PartialDate
from zhbook.ext.citations.style import GBT7714Style

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def style():
    # through the entry point, as sphinxcontrib-bibtex finds it
    return find_plugin("pybtex.style.formatting", "gbt7714")()


def formatted(style, bib: str) -> str:
    (entry,) = parse_string(bib, "bibtex").entries.values()
    return style.format_entry("1", entry).text.render_as("text")


# --- the representative entries the issue asks for -----------------------------------------------------------------

def test_chinese_monograph_with_volume_and_cited_page(style):
    bib = """@book{chen2000, author = {陈登原}, title = {国史旧闻}, volume = {1}, location = {北京},
             publisher = {中华书局}, date = {2000}, pages = {29}, langid = {chinese}}"""
    assert formatted(style, bib) == "陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000: 29."


def test_english_journal_article_with_more_than_three_authors(style):
    bib = """@article{desmarais1992,
        author = {Des Marais, D. J. and Strauss, H. and Summons, R. E. and Hayes, J. M.},
        title = {Carbon isotope evidence for the stepwise oxidation of the Proterozoic environment},
        journal = {Nature}, date = {1992}, volume = {359}, pages = {605--609}, langid = {english}}"""
    assert formatted(style, bib) == (
        "DES MARAIS D J, STRAUSS H, SUMMONS R E, et al. Carbon isotope evidence for the stepwise oxidation "
        "of the Proterozoic environment[J]. Nature, 1992, 359: 605-609."
    )


def test_newspaper_article(style):
    bib = """@newspaper{ding2000, author = {丁文祥}, title = {数字革命与竞争国际化}, journal = {中国青年报},
             date = {2000-11-20}, number = {15}, langid = {chinese}}"""
    assert formatted(style, bib) == "丁文祥. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20(15)."


def test_online_document_with_update_and_access_date(style):
    bib = """@online{bawden2008, author = {Bawden, David}, title = {Origins and concepts of digital literacy},
             date = {2008-05-04}, urldate = {2013-03-08}, langid = {english},
             url = {http://www.soi.city.ac.uk/~dbawden/digital%20literacy%20chapter.pdf}}"""
    assert formatted(style, bib) == (
        "BAWDEN D. Origins and concepts of digital literacy[EB/OL]. (2008-05-04)[2013-03-08]. "
        "http://www.soi.city.ac.uk/~dbawden/digital%20literacy%20chapter.pdf."
    )


def test_online_document_without_date_has_only_the_access_date(style):
    bib = """@online{oclc, author = {{Online Computer Library Center, Inc}}, title = {About OCLC: History of cooperation},
             urldate = {2012-03-27}, url = {http://www.oclc.org/about/cooperation.en.html}, langid = {english}}"""
    assert formatted(style, bib) == (
        "Online Computer Library Center, Inc. About OCLC: History of cooperation[EB/OL]. [2012-03-27]. "
        "http://www.oclc.org/about/cooperation.en.html."
    )


def test_standard(style):
    bib = """@standard{gbt7714-2015, author = {{全国信息与文献标准化技术委员会}}, title = {信息与文献 参考文献著录规则},
             number = {GB/T 7714—2015}, location = {北京}, publisher = {中国标准出版社}, date = {2015},
             langid = {chinese}}"""
    assert formatted(style, bib) == (
        "全国信息与文献标准化技术委员会. 信息与文献 参考文献著录规则: GB/T 7714—2015[S]. 北京: 中国标准出版社, 2015."
    )


def test_corporate_author_is_written_as_it_is(style):
    bib = """@report{who1970, author = {{World Health Organization}}, title = {Factors regulating the immune response},
             subtitle = {report of WHO Scientific Group}, location = {Geneva}, publisher = {WHO}, date = {1970},
             langid = {english}}"""
    assert formatted(style, bib) == (
        "World Health Organization. Factors regulating the immune response: report of WHO Scientific Group[R]. "
        "Geneva: WHO, 1970."
    )


def test_corporate_author_and_unknown_publisher(style):
    bib = """@proceedings{cstam1990, editor = {{中国力学学会}}, title = {第3届全国实验流体力学学术会议论文集},
             location = {天津}, date = {1990}, langid = {chinese}}"""
    assert formatted(style, bib) == "中国力学学会. 第3届全国实验流体力学学术会议论文集[C]. 天津: [出版者不详], 1990."


def test_official_document_the_2009_regulation(style):
    """Two corporate authors joined by a comma, never “and”; no imprint, so the date of issue as known."""
    bib = """@misc{accountability-regulation-2009, author = {{中共中央办公厅} and {国务院办公厅}},
             title = {关于实行党政领导干部问责的暂行规定}, date = {2009-06-30}, langid = {chinese}}"""
    assert formatted(style, bib) == "中共中央办公厅, 国务院办公厅. 关于实行党政领导干部问责的暂行规定[Z]. 2009-06-30."


def test_official_document_online_with_its_number(style):
    """The standard's own example of a government notice, online, with the document number as 其他题名信息."""
    bib = """@archive{bjsrmzfbgt2005, author = {{北京市人民政府办公厅}},
             title = {关于转发北京市企业投资项目核准暂行实施办法的通知}, number = {京政办发[2005]37号},
             date = {2005-07-12}, urldate = {2011-07-12}, url = {http://china.findlaw.cn/fagui/p_1/39934.html},
             langid = {chinese}}"""
    assert formatted(style, bib) == (
        "北京市人民政府办公厅. 关于转发北京市企业投资项目核准暂行实施办法的通知: 京政办发[2005]37号[A/OL]. "
        "(2005-07-12)[2011-07-12]. http://china.findlaw.cn/fagui/p_1/39934.html."
    )


# --- more of the standard's examples: one rule each ------------------------------------------------------------------

@pytest.mark.parametrize(
    "bib, expected",
    [
        pytest.param(
            """@article{yuan2012, author = {袁训来 and 陈哲 and 肖书海 and 万斌 and 关成国},
               title = {蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口}, journal = {科学通报}, date = {2012},
               volume = {57}, number = {34}, pages = {3219}, langid = {chinese}}""",
            "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 57(34): 3219.",
            id="chinese-more-than-three-authors-deng",
        ),
        pytest.param(
            """@article{yuan2012, author = {袁训来 and 陈哲 and 肖书海 and others},
               title = {蓝田生物群}, journal = {科学通报}, date = {2012}, langid = {chinese}}""",
            "袁训来, 陈哲, 肖书海, 等. 蓝田生物群[J]. 科学通报, 2012.",
            id="and-others",
        ),
        pytest.param(
            """@book{xu2010, author = {徐光宪 and 王祥云}, title = {物质结构}, edition = {2}, location = {北京},
               publisher = {科学出版社}, date = {2010}, langid = {chinese}}""",
            "徐光宪, 王祥云. 物质结构[M]. 2版. 北京: 科学出版社, 2010.",
            id="chinese-edition",
        ),
        pytest.param(
            """@book{peebles2001, author = {Peebles, Jr., Peyton Z.},
               title = {Probability, random variables, and random signal principles}, edition = {4},
               location = {New York}, publisher = {McGraw-Hill}, date = {2001}, langid = {english}}""",
            "PEEBLES P Z, Jr. Probability, random variables, and random signal principles[M]. 4th ed. "
            "New York: McGraw-Hill, 2001.",
            id="western-name-with-lineage-and-edition",
        ),
        pytest.param(
            """@book{nglpd1996, author = {尼葛洛庞帝}, translator = {胡泳 and 范海燕}, title = {数字化生存},
               location = {海口}, publisher = {海南出版社}, date = {1996}, langid = {chinese}}""",
            "尼葛洛庞帝. 数字化生存[M]. 胡泳, 范海燕, 译. 海口: 海南出版社, 1996.",
            id="translator",
        ),
        pytest.param(
            """@incollection{cgw1999, author = {程根伟}, title = {1998年长江洪水的成因与减灾对策},
               editor = {许厚泽 and 赵其国}, booktitle = {长江流域洪涝灾害与科技对策}, location = {北京},
               publisher = {科学出版社}, date = {1999}, pages = {32--36}, langid = {chinese}}""",
            "程根伟. 1998年长江洪水的成因与减灾对策[M]//许厚泽, 赵其国. 长江流域洪涝灾害与科技对策. "
            "北京: 科学出版社, 1999: 32-36.",
            id="part-of-a-monograph",
        ),
        pytest.param(
            """@incollection{wfz2011, title = {周易外传: 卷5}, editor = {王夫之}, booktitle = {船山全书: 第6册},
               location = {长沙}, publisher = {岳麓书社}, date = {2011}, pages = {1109}, langid = {chinese}}""",
            "周易外传: 卷5[M]//王夫之. 船山全书: 第6册. 长沙: 岳麓书社, 2011: 1109.",
            id="part-without-its-own-author",
        ),
        pytest.param(
            """@inproceedings{jdq2011, author = {贾东琴 and 柯平}, title = {面向数字素养的高校图书馆数字服务体系研究},
               editor = {{中国图书馆学会}}, booktitle = {中国图书馆学会年会论文集: 2011年卷}, location = {北京},
               publisher = {国家图书馆出版社}, date = {2011}, pages = {45-52}, langid = {chinese}}""",
            "贾东琴, 柯平. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会. "
            "中国图书馆学会年会论文集: 2011年卷. 北京: 国家图书馆出版社, 2011: 45-52.",
            id="conference-paper",
        ),
        pytest.param(
            """@article{yzy1996, author = {杨宗英}, title = {电子图书馆的现实模型}, journal = {中国图书馆学报},
               date = {1996}, number = {2}, pages = {24-29}, langid = {chinese}}""",
            "杨宗英. 电子图书馆的现实模型[J]. 中国图书馆学报, 1996(2): 24-29.",
            id="journal-without-volume",
        ),
        pytest.param(
            """@article{wll2008, author = {武丽丽 and 华一新 and 张亚军 and 李延鹏},
               title = {“北斗一号”监控管理网设计与实现}, journal = {测绘科学}, date = {2008}, volume = {33},
               number = {5}, pages = {8-9}, urldate = {2009-10-25},
               url = {http://vip.calis.edu.cn/CSTJ/Sear.dll?OPAC_CreateDetail},
               doi = {10.3771/j.issn.1009-2307.2008.05.002}, langid = {chinese}}""",
            "武丽丽, 华一新, 张亚军, 等. “北斗一号”监控管理网设计与实现[J/OL]. 测绘科学, 2008, 33(5): 8-9"
            "[2009-10-25]. http://vip.calis.edu.cn/CSTJ/Sear.dll?OPAC_CreateDetail. "
            "DOI:10.3771/j.issn.1009-2307.2008.05.002.",
            id="online-journal-article-with-doi",
        ),
        pytest.param(
            """@newspaper{yjb2013, author = {余建斌}, title = {我们的科技一直在追赶: 访中国工程院院长周济},
               journal = {人民日报}, date = {2013-01-12}, number = {2}, urldate = {2013-03-20},
               url = {http://paper.people.com.cn/rmrb/html/2013-01/12/nw.D110000renmrb_20130112_5-02.htm},
               langid = {chinese}}""",
            "余建斌. 我们的科技一直在追赶: 访中国工程院院长周济[N/OL]. 人民日报, 2013-01-12(2)[2013-03-20]. "
            "http://paper.people.com.cn/rmrb/html/2013-01/12/nw.D110000renmrb_20130112_5-02.htm.",
            id="online-newspaper",
        ),
        pytest.param(
            """@book{zxg2001, author = {赵学功}, title = {当代美国外交}, location = {北京},
               publisher = {社会科学文献出版社}, date = {2001}, urldate = {2014-06-11},
               url = {http://www.cadal.zju.edu.cn/book/trySinglePage/33023884/1}, langid = {chinese}}""",
            "赵学功. 当代美国外交[M/OL]. 北京: 社会科学文献出版社, 2001[2014-06-11]. "
            "http://www.cadal.zju.edu.cn/book/trySinglePage/33023884/1.",
            id="online-book",
        ),
        pytest.param(
            """@thesis{mh2011, author = {马欢}, title = {人类活动影响下海河流域典型区水循环变化分析},
               location = {北京}, institution = {清华大学}, date = {2011}, langid = {chinese}}""",
            "马欢. 人类活动影响下海河流域典型区水循环变化分析[D]. 北京: 清华大学, 2011.",
            id="thesis",
        ),
        pytest.param(
            """@book{denhardt2003, author = {Denhardt, Janet V. and Denhardt, Robert B.},
               title = {The New Public Service: Serving, Not Steering}, publisher = {M. E. Sharpe}, date = {2003},
               langid = {english}}""",
            "DENHARDT J V, DENHARDT R B. The New Public Service: Serving, Not Steering[M]. [S.l.]: M. E. Sharpe, 2003.",
            id="unknown-place-english",
        ),
        pytest.param(
            """@book{senge2009, author = {彼得·圣吉}, title = {第五项修炼：学习型组织的艺术与实践},
               publisher = {中信出版社}, date = {2009-10}, langid = {chinese}}""",
            "彼得·圣吉. 第五项修炼：学习型组织的艺术与实践[M]. [出版地不详]: 中信出版社, 2009.",
            id="unknown-place-chinese-and-month-date",
        ),
        pytest.param(
            """@report{census2017, author = {{国务院办公厅政府信息与政务公开办公室}}, title = {全国综合性实体政务大厅普查报告},
               date = {2017-11}, langid = {chinese}}""",
            "国务院办公厅政府信息与政务公开办公室. 全国综合性实体政务大厅普查报告[R]. [出版地不详: 出版者不详], 2017.",
            id="report-without-imprint",
        ),
        pytest.param(
            """@book{old, author = {Crane, D.}, title = {Invisible college}, location = {Chicago},
               publisher = {Univ. of Chicago Press}, year = {1972}, month = {jan}, langid = {english}}""",
            "CRANE D. Invisible college[M]. Chicago: Univ. of Chicago Press, 1972.",
            id="year-and-month-still-work",
        ),
        pytest.param(
            r"""@misc{pct, author = {{国家统计局}}, title = {增长50\% {GDP} 的说明}, date = {2020}, langid = {chinese}}""",
            "国家统计局. 增长50% GDP 的说明[Z]. 2020.",
            id="latex-escapes-and-braces",
        ),
    ],
)
def test_standard_examples(style, bib, expected):
    assert formatted(style, bib) == expected


def test_language_decides_between_deng_and_et_al(style):
    """The same four Chinese names: 等 in a Chinese entry, et al. in an English one."""
    template = """@article{x, author = {王一 and 王二 and 王三 and 王四}, title = {T}, journal = {J}, date = {2000},
                  langid = {%s}}"""
    assert formatted(style, template % "chinese").startswith("王一, 王二, 王三, 等. ")
    assert formatted(style, template % "english").startswith("王一, 王二, 王三, et al. ")


def test_url_is_a_link_in_html(style):
    bib = """@online{x, title = {页面}, url = {https://example.org/a_b/c%20d}, urldate = {2026-11-26},
             doi = {10.1000/xyz}, langid = {chinese}}"""
    (entry,) = parse_string(bib, "bibtex").entries.values()
    html = style.format_entry("1", entry).text.render_as("html")
    assert html == (
        '页面[EB/OL]. [2026-11-26]. <a href="https://example.org/a_b/c%20d">https://example.org/a_b/c%20d</a>. '
        'DOI:<a href="https://doi.org/10.1000/xyz">10.1000/xyz</a>.'
    )


def test_entries_keep_the_order_given_and_are_numbered_from_one(style):
    """Citation order, not code-point order: sphinxcontrib-bibtex hands the entries over in that order."""
    bib = """
    @misc{zz, author = {张三}, title = {后引用}, date = {2001}, langid = {chinese}}
    @misc{aa, author = {Adams, A.}, title = {First}, date = {2002}, langid = {english}}
    @misc{mm, author = {李四}, title = {中间}, date = {2003}, langid = {chinese}}
    """
    entries = list(parse_string(bib, "bibtex").entries.values())
    result = [(item.label, item.key) for item in style.format_entries(entries)]
    assert result == [("1", "zz"), ("2", "aa"), ("3", "mm")]
    assert isinstance(style, GBT7714Style)


@pytest.mark.parametrize(
    "text, iso", [("2009", "2009"), ("2009-07", "2009-07"), ("2009-07-12", "2009-07-12"), (" 2009-07-12 ", "2009-07-12")]
)
def test_dates_at_their_precision(text, iso):
    assert PartialDate.parse_iso(text).iso == iso


@pytest.mark.parametrize("text", ["09", "2009-7", "2009-13", "2009-02-30", "2009/07/12", "July 2009", "2009-07-12T10"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse_iso(text)


# --- every 文献类型 of the standard, from BibTeX and biblatex entries (issue 15) ------------------------------------

@pytest.mark.parametrize(
    "bib, expected",
    [
        pytest.param(
            """@collection{zgjy1985, editor = {{中国职工教育研究会}}, title = {职工教育研究论文集}, location = {北京},
               publisher = {人民教育出版社}, date = {1985}, langid = {chinese}}""",
            "中国职工教育研究会. 职工教育研究论文集[G]. 北京: 人民教育出版社, 1985.",
            id="G-collection-appendix-A2",
        ),
        pytest.param(
            """@proceedings{lgc2012, editor = {雷光春}, title = {综合湿地管理}, subtitle = {综合湿地管理国际研讨会论文集},
               address = {北京}, publisher = {海洋出版社}, year = {2012}}""",
            "雷光春. 综合湿地管理: 综合湿地管理国际研讨会论文集[C]. 北京: 海洋出版社, 2012.",
            id="C-proceedings-bibtex-fields-appendix-A2",
        ),
        pytest.param(
            """@phdthesis{calms1965, author = {Calms, R B}, title = {Infrared spectroscopic studies on solid oxygen},
               address = {Berkeley}, school = {Univ. of California}, year = {1965}}""",
            "CALMS R B. Infrared spectroscopic studies on solid oxygen[D]. Berkeley: Univ. of California, 1965.",
            id="D-bibtex-phdthesis-appendix-A4",
        ),
        pytest.param(
            """@mastersthesis{wyf2003, author = {吴云芳}, title = {面向中文信息处理的现代汉语并列结构研究},
               address = {北京}, school = {北京大学}, year = {2003}, urldate = {2013-10-14},
               url = {http://thesis.lib.pku.edu.cn/dlib/List.asp?lang=gb&type=Reader&DocGroupID=4&DocID=6328}}""",
            "吴云芳. 面向中文信息处理的现代汉语并列结构研究[D/OL]. 北京: 北京大学, 2003[2013-10-14]. "
            "http://thesis.lib.pku.edu.cn/dlib/List.asp?lang=gb&type=Reader&DocGroupID=4&DocID=6328.",
            id="D-OL-bibtex-mastersthesis-appendix-A4",
        ),
        pytest.param(
            """@thesis{lna2000, author = {刘乃安}, title = {生物质材料热解失重动力学及其分析方法研究},
               type = {博士学位论文}, location = {合肥}, institution = {中国科学技术大学}, date = {2000},
               pages = {17--18}, urldate = {2014-08-29}, url = {http://example.org/thesis},
               doi = {10.7666/d.y351065}, langid = {chinese}}""",
            "刘乃安. 生物质材料热解失重动力学及其分析方法研究[D/OL]. 合肥: 中国科学技术大学, 2000: 17-18"
            "[2014-08-29]. http://example.org/thesis. DOI:10.7666/d.y351065.",
            id="D-biblatex-thesis-with-type-and-doi-section-8.7",
        ),
        pytest.param(
            """@techreport{twj2013, author = {汤万金 and 杨跃翔 and 刘文 and others},
               title = {人体安全重要技术标准研制最终报告}, number = {7178999X-2006BAK04A10/10.2013},
               date = {2013-09-30}, urldate = {2014-06-24}, url = {http://www.nstrs.org.cn/xiangxiBG.aspx?id=41707},
               langid = {chinese}}""",
            "汤万金, 杨跃翔, 刘文, 等. 人体安全重要技术标准研制最终报告: 7178999X-2006BAK04A10/10.2013[R/OL]. "
            "(2013-09-30)[2014-06-24]. http://www.nstrs.org.cn/xiangxiBG.aspx?id=41707.",
            id="R-OL-bibtex-techreport-appendix-A3",
        ),
        pytest.param(
            """@report{gfbps2013, author = {{中华人民共和国国务院新闻办公室}}, title = {国防白皮书},
               subtitle = {中国武装力量的多样化运用}, type = {白皮书}, date = {2013-04-16}, urldate = {2014-06-11},
               url = {http://www.mod.gov.cn/affair/2013-04/16/content_4442839.htm}, langid = {chinese}}""",
            "中华人民共和国国务院新闻办公室. 国防白皮书: 中国武装力量的多样化运用[R/OL]. (2013-04-16)[2014-06-11]. "
            "http://www.mod.gov.cn/affair/2013-04/16/content_4442839.htm.",
            id="R-OL-biblatex-report-with-type-appendix-A3",
        ),
        pytest.param(
            """@standard{gbt3792, author = {{全国信息与文献标准化技术委员会}}, title = {文献著录: 第4部分 非书资料},
               number = {GB/T 3792.4—2009}, location = {北京}, publisher = {中国标准出版社}, date = {2010},
               pages = {3}, langid = {chinese}}""",
            "全国信息与文献标准化技术委员会. 文献著录: 第4部分 非书资料: GB/T 3792.4—2009[S]. 北京: 中国标准出版社, "
            "2010: 3.",
            id="S-standard-appendix-A6",
        ),
        pytest.param(
            """@patent{zkj2012, author = {张凯军}, title = {轨道火车及高速轨道火车紧急安全制动辅助装置},
               number = {201220158825.2}, date = {2012-04-05}, langid = {chinese}}""",
            "张凯军. 轨道火车及高速轨道火车紧急安全制动辅助装置: 201220158825.2[P]. 2012-04-05.",
            id="P-patent-appendix-A5",
        ),
        pytest.param(
            """@patent{hblz2001, holder = {{河北绿洲生态环境科技有限公司}},
               title = {一种荒漠化地区生态植被综合培育种植方法}, number = {01129210.5}, date = {2001-10-24},
               urldate = {2002-05-28}, url = {http://211.152.9.47/sipoasp/zlijs/hyjs-yx-new.asp?recid=01129210.5&leixin=0},
               langid = {chinese}}""",
            "河北绿洲生态环境科技有限公司. 一种荒漠化地区生态植被综合培育种植方法: 01129210.5[P/OL]. "
            "2001-10-24[2002-05-28]. http://211.152.9.47/sipoasp/zlijs/hyjs-yx-new.asp?recid=01129210.5&leixin=0.",
            id="P-OL-patent-holder-appendix-A5",
        ),
        pytest.param(
            """@patent{tachibana2005, author = {Tachibana, Ryuki and Shimizu, Shuhichi and Kobayshi, Seiji and
               Nakamura, Taiga}, title = {Electronic watermarking method and system}, number = {US6915001},
               date = {2005-07-05}, urldate = {2013-11-11}, url = {http://www.google.co.in/patents/US6915001},
               langid = {english}}""",
            "TACHIBANA R, SHIMIZU S, KOBAYSHI S, et al. Electronic watermarking method and system: US6915001[P/OL]. "
            "2005-07-05[2013-11-11]. http://www.google.co.in/patents/US6915001.",
            id="P-OL-english-section-4.5",
        ),
        pytest.param(
            """@archive{mingchao2001, author = {中国第一历史档案馆 and 辽宁省档案馆}, title = {中国明朝档案总汇},
               address = {桂林}, publisher = {广西师范大学出版社}, year = {2001}}""",
            "中国第一历史档案馆, 辽宁省档案馆. 中国明朝档案总汇[A]. 桂林: 广西师范大学出版社, 2001.",
            id="A-archive-section-4.1",
        ),
        pytest.param(
            """@periodical{lcnk1984, author = {中华医学会湖北分会}, title = {临床内科杂志}, date = {1984/},
               volume = {1}, number = {1}, location = {武汉}, publisher = {中华医学会湖北分会}}""",
            "中华医学会湖北分会. 临床内科杂志[J]. 1984, 1(1)-. 武汉: 中华医学会湖北分会, 1984-.",
            id="J-periodical-still-published-section-4.3",
        ),
        pytest.param(
            """@periodical{tsgxtx, author = {中国图书馆学会}, title = {图书馆学通讯}, date = {1957/1990},
               number = {1--4}, location = {北京}, publisher = {北京图书馆}}""",
            "中国图书馆学会. 图书馆学通讯[J]. 1957(1)-1990(4). 北京: 北京图书馆, 1957-1990.",
            id="J-periodical-ceased-section-4.3",
        ),
        pytest.param(
            """@article{ztq2000, author = {张田勤}, title = {罪犯DNA库与生命伦理学计划}, journaltitle = {大众科技报},
               entrysubtype = {newspaper}, date = {2000-11-12}, number = {7}, langid = {chinese}}""",
            "张田勤. 罪犯DNA库与生命伦理学计划[N]. 大众科技报, 2000-11-12(7).",
            id="N-biblatex-article-entrysubtype-newspaper-appendix-A9",
        ),
        pytest.param(
            """@electronic{xy2001, author = {萧钰}, title = {出版业信息化迈入快车道}, date = {2001-12-19},
               urldate = {2002-04-15}, url = {http://www.creader.com/news/20011219/200112190019.html}}""",
            "萧钰. 出版业信息化迈入快车道[EB/OL]. (2001-12-19)[2002-04-15]. "
            "http://www.creader.com/news/20011219/200112190019.html.",
            id="EB-OL-electronic-appendix-A10",
        ),
        pytest.param(
            r"""@misc{lq2012, author = {李强}, title = {化解医患矛盾需釜底抽薪}, year = {2012}, month = may,
               howpublished = {\url{http://wenku.baidu.com/view/47e4f206b52acfc789ebc92f.html}},
               urldate = {2013-03-25}}""",
            "李强. 化解医患矛盾需釜底抽薪[EB/OL]. (2012-05)[2013-03-25]. "
            "http://wenku.baidu.com/view/47e4f206b52acfc789ebc92f.html.",
            id="EB-OL-bibtex-misc-howpublished-url-appendix-A10",
        ),
        # The standard gives no example of these types; each is built from its rules for 电子资源 and 专著.
        pytest.param(
            """@software{scitor1983, author = {{Scitor Corporation}}, title = {Project scheduler}, medium = {DK},
               location = {Sunnyvale, Calif.}, publisher = {Scitor Corporation}, date = {1983}, langid = {english}}""",
            "Scitor Corporation. Project scheduler[CP/DK]. Sunnyvale, Calif.: Scitor Corporation, 1983.",
            id="CP-software-on-disk",
        ),
        pytest.param(
            """@database{stats, author = {{国家统计局}}, title = {国家数据}, urldate = {2024-03-01},
               url = {https://data.stats.gov.cn/}, langid = {chinese}}""",
            "国家统计局. 国家数据[DB/OL]. [2024-03-01]. https://data.stats.gov.cn/.",
            id="DB-OL-database",
        ),
        pytest.param(
            """@dataset{stats2023, author = {{国家统计局}}, title = {中国统计年鉴 2023}, date = {2023},
               urldate = {2024-03-01}, url = {https://www.stats.gov.cn/sj/ndsj/2023/indexch.htm}, langid = {chinese}}""",
            "国家统计局. 中国统计年鉴 2023[DS/OL]. (2023)[2024-03-01]. https://www.stats.gov.cn/sj/ndsj/2023/indexch.htm.",
            id="DS-OL-dataset",
        ),
        pytest.param(
            """@map{map2010, author = {中国地图出版社}, title = {中华人民共和国地图}, location = {北京},
               publisher = {中国地图出版社}, date = {2010}, langid = {chinese}}""",
            "中国地图出版社. 中华人民共和国地图[CM]. 北京: 中国地图出版社, 2010.",
            id="CM-map",
        ),
        pytest.param(
            """@unpublished{handout, author = {{示例大学公共管理学院}}, title = {公共管理导论课程讲义}, date = {2020},
               langid = {chinese}}""",
            "示例大学公共管理学院. 公共管理导论课程讲义[Z]. 2020.",
            id="Z-bibtex-unpublished",
        ),
    ],
)
def test_every_document_type_of_the_standard(style, bib, expected):
    assert formatted(style, bib) == expected


def test_the_standard_types_are_all_covered():
    """[M] [C] [G] [N] [J] [D] [R] [S] [P] [DB] [CP] [EB] [A] [CM] [DS] [Z]: every 文献类型标识 of the standard
    is reached from some entry type."""
    from zhbook.ext.citations.style import ENTRY_TYPES

    assert set(ENTRY_TYPES.values()) == {"M", "C", "G", "N", "J", "D", "R", "S", "P", "DB", "CP", "EB", "A", "CM",
                                         "DS", "Z"}


def test_a_type_the_style_cannot_format_is_refused(style):
    """Never [Z] for a type it does not know: the bib check stops the build at the entry (tests/test_citations.py)."""
    from zhbook.ext.citations.style import UnsupportedEntryType

    with pytest.raises(UnsupportedEntryType, match='no document type for an entry "@legislation"'):
        formatted(style, "@legislation{x, title = {中华人民共和国行政许可法}, date = {2003}}")


ZOTERO_EXPORT = REPO / "tests" / "data" / "zotero-better-bibtex.bib"


def test_zotero_better_bibtex_export_passes_the_bib_check():
    from zhbook.ext.citations.bibcheck import check_bibfiles

    assert [str(problem) for problem in check_bibfiles([ZOTERO_EXPORT])] == []


def test_zotero_better_bibtex_export_formats_cleanly(style):
    from pybtex.database import parse_file

    entries = parse_file(str(ZOTERO_EXPORT), "bibtex").entries
    texts = {key: style.format_entry("1", entry).text.render_as("text") for key, entry in entries.items()}
    for key, text in texts.items():
        url = entries[key].fields.get("url", "")
        words = text.replace(url, "URL") if url else text
        for flaw in ("{", "}", "\\", "..", ", ,", ", .", ": .", "None", "[]", "()", "  "):
            assert flaw not in words, (key, flaw, text)
        assert not re.search(r"[\u4e00-\u9fff] and [\u4e00-\u9fff]", words), (key, text)  # pybtex's English "and"
        assert text.endswith("."), text
    assert texts["chenGuoShiJiuWen2000"] == "陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000."
    assert texts["kuhnKeXueGeMingDeJieGou2012"] == (
        "库恩. 科学革命的结构: 第4版[M]. 金吾伦, 胡新和, 译. 2版. 北京: 北京大学出版社, 2012.")
    assert texts["yuanLanTianShengWuQun2012"].startswith("袁训来, 陈哲, 肖书海, 等. 蓝田生物群")
    assert texts["myburgGenomeEucalyptusGrandis2014"].startswith(
        "MYBURG A A, GRATTAPAGLIA D, TUSKAN G A, et al. The Genome of Eucalyptus Grandis[J/OL]. Nature, 2014, "
        "510: 356-362(2014-06-19)[2014-06-25].")
    assert texts["zhangZuiFanDNAKu2000"] == "张田勤. 罪犯DNA库与生命伦理学计划[N]. 大众科技报, 2000-11-12(7)."
    assert texts["calmsInfraredSpectroscopicStudies1965"] == (
        "CALMS R B. Infrared Spectroscopic Studies on Solid Oxygen[D]. Berkeley: Univ. of California, 1965.")
    assert texts["houGaoFenZiWuLi2010"] == "侯文顺. 高分子物理: 高分子材料分析、选择与改性[M]. 北京: 化学工业出版社, 2010: 119."
    marks = {re.search(r"\[([A-Z]+)(?:/[A-Z]+)?\]", text).group(1) for text in texts.values()}
    assert marks == {"M", "G", "C", "J", "N", "D", "R", "S", "P", "EB", "CP", "DS", "Z"}
