package org.eventetl.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class TestStatements
{
    @Test
    void testSplit()
    {
        assertThat(Statements.split("SELECT 1; SELECT 2;\nSELECT 3"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void testSemicolonInString()
    {
        assertThat(Statements.split("SELECT 'a;b'; SELECT 'it''s; fine'; SELECT ''"))
                .containsExactly("SELECT 'a;b'", "SELECT 'it''s; fine'", "SELECT ''");
    }

    @Test
    void testSemicolonInQuotedIdentifier()
    {
        assertThat(Statements.split("SELECT 1 AS \"x;y\"; SELECT 2 AS \"a\"\";b\""))
                .containsExactly("SELECT 1 AS \"x;y\"", "SELECT 2 AS \"a\"\";b\"");
    }

    @Test
    void testOtherQuoteInsideString()
    {
        assertThat(Statements.split("SELECT '\";'; SELECT \"';\""))
                .containsExactly("SELECT '\";'", "SELECT \"';\"");
    }

    @Test
    void testSemicolonInLineComment()
    {
        assertThat(Statements.split("-- first; still a comment\nSELECT 1; -- a; b\nSELECT 2;"))
                .containsExactly("-- first; still a comment\nSELECT 1", "-- a; b\nSELECT 2");
    }

    @Test
    void testSemicolonInBlockComment()
    {
        assertThat(Statements.split("/* a; 'b; */ SELECT 1; SELECT /* ; */ 2;"))
                .containsExactly("/* a; 'b; */ SELECT 1", "SELECT /* ; */ 2");
    }

    @Test
    void testQuoteInCommentDoesNotOpenString()
    {
        assertThat(Statements.split("-- don't\nSELECT 1; SELECT 2"))
                .containsExactly("-- don't\nSELECT 1", "SELECT 2");
    }

    @Test
    void testEmptyAndCommentOnlyStatementsDropped()
    {
        assertThat(Statements.split(";;  ;\n-- only a comment;\n/* and; another */;SELECT 1;\n-- trailing comment\n"))
                .containsExactly("SELECT 1");
        assertThat(Statements.split("")).isEmpty();
        assertThat(Statements.split("-- nothing\n")).isEmpty();
    }

    @Test
    void testUnterminatedStringKeepsRest()
    {
        assertThat(Statements.split("SELECT 1; SELECT 'a; b"))
                .containsExactly("SELECT 1", "SELECT 'a; b");
    }

    @Test
    void testDashesAndSlashesOutsideComments()
    {
        assertThat(Statements.split("SELECT 4 - 1; SELECT 4 / 2; SELECT 8 -2"))
                .containsExactly("SELECT 4 - 1", "SELECT 4 / 2", "SELECT 8 -2");
    }
}
