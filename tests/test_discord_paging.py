"""/sources pages with Previous/Next when the articles do not fit one embed."""

import pytest

from bot.config import Config
from bot.discord_app import create_bot
from bot.embeds import EMBED_TOTAL_MAX, sources_pages
from index import Engine
from index.articles import Article, Corpus, Source

N_ARTICLES = 37


@pytest.fixture(scope="module")
def big_engine():
    articles = tuple(
        Article(
            Source(
                id=f"{i:03}.txt",
                title=f"Article number {i} [with brackets] " + "long " * 40,
                publisher="Some Publisher",
                url=f"https://example.com/{i}",
                published="2022-02-04",
            ),
            f"Headline {i}\n\nThe show number {i} was directed by Person{i} Example in 2021.\n",
        )
        for i in range(N_ARTICLES)
    )
    return Engine(Corpus(articles))


def test_pages_respect_limits(big_engine):
    pages = sources_pages(big_engine.sources)
    assert len(pages) > 1
    for page in pages:
        assert len(page.description) <= 4096 and len(page) <= EMBED_TOTAL_MAX
    assert sum(page.description.count("](<https://") for page in pages) == N_ARTICLES


@pytest.fixture
def simcord_bot(big_engine, tmp_path):
    return create_bot(big_engine, Config(token=None, sync_state=tmp_path / "sync.json"))


async def test_next_and_previous_buttons(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    bob = guild.add_member(simcord_env.create_user("bob"))
    result = await bob.slash(channel, "sources")
    first = result.response.embeds[0].description
    assert "Page 1 of" in result.response.embeds[0].footer.text
    clicked = await bob.click(result.response, label="Next")
    assert clicked.acknowledged
    second = clicked.response.embeds[0]
    assert second.description != first and "Page 2 of" in second.footer.text
    back = await bob.click(clicked.response, label="Previous")
    assert back.response.embeds[0].description == first


@pytest.fixture
def long_engine():
    sentence = "The show was directed by Ann Park and " + "it kept going and going " * 400 + "until the end."
    long_title = "A very long headline " * 30
    articles = tuple(
        Article(
            Source(id=f"{i}.txt", title=long_title, publisher="P" * 300, url=f"https://example.com/{i}"),
            f"Headline\n\n{sentence}\n",
        )
        for i in range(3)
    )
    return Engine(Corpus(articles))


async def test_long_quotes_and_titles_fit_discord_limits(long_engine, tmp_path):
    import simcord

    bot = create_bot(long_engine, Config(token=None, sync_state=tmp_path / "sync.json"))
    async with simcord.run(bot) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        carol = guild.add_member(env.create_user("carol"))
        question = "**who** directed _it_ ~~?~~ " + "<@&1> " * 60
        result = await carol.slash(channel, "ask", question=question[:300])
        (embed,) = result.response.embeds
        assert len(embed.title) <= 256 and len(embed.description) <= 4096 and len(embed) <= 6000
        assert embed.description.rstrip().endswith("…")
        assert "Ann Park" in embed.description
