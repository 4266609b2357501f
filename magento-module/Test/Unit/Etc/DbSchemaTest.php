<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Etc;

use PHPUnit\Framework\TestCase;
use SimpleXMLElement;

/**
 * etc/db_schema.xml declares upstream's tables: it agrees with its whitelist and with
 * fixtures/sql/magento-schema.sql, the MySQL the sidecar's tests create for these tables.
 */
class DbSchemaTest extends TestCase
{
    private const MODULE = __DIR__ . '/../../..';
    private const SQL_FIXTURE = self::MODULE . '/../fixtures/sql/magento-schema.sql';
    private const TABLES = ['async_event_subscriber', 'async_event_subscriber_log'];

    private static function schema(): SimpleXMLElement
    {
        $xml = simplexml_load_file(self::MODULE . '/etc/db_schema.xml');
        self::assertInstanceOf(SimpleXMLElement::class, $xml);

        return $xml;
    }

    private static function attribute(SimpleXMLElement $element, string $name): ?string
    {
        $value = $element->attributes()[$name] ?? $element->attributes('xsi', true)[$name] ?? null;

        return $value === null ? null : (string) $value;
    }

    public function testDeclaresUpstreamsTwoTables(): void
    {
        $tables = [];
        foreach (self::schema()->table as $table) {
            $tables[] = self::attribute($table, 'name');
        }

        self::assertSame(self::TABLES, $tables);
    }

    public function testTheWhitelistListsExactlyWhatTheSchemaDeclares(): void
    {
        $declared = [];
        foreach (self::schema()->table as $table) {
            $entry = ['column' => [], 'constraint' => [], 'index' => []];
            foreach ($table->column as $column) {
                $entry['column'][self::attribute($column, 'name')] = true;
            }
            foreach ($table->constraint as $constraint) {
                $entry['constraint'][self::attribute($constraint, 'referenceId')] = true;
            }
            foreach ($table->index as $index) {
                $entry['index'][self::attribute($index, 'referenceId')] = true;
            }
            $declared[self::attribute($table, 'name')] = array_map(
                static function (array $names): array {
                    ksort($names);
                    return $names;
                },
                array_filter($entry)
            );
        }
        $whitelist = json_decode((string) file_get_contents(self::MODULE . '/etc/db_schema_whitelist.json'), true);
        foreach ($whitelist as &$entry) {
            foreach ($entry as &$names) {
                ksort($names);
            }
        }

        self::assertEquals($declared, $whitelist);
    }

    /**
     * Each column as MySQL shows it, from the XML declaration.
     *
     * @return array<string, array<string, string>> table => column => normalized definition
     */
    private static function declaredColumns(): array
    {
        $types = ['boolean' => 'tinyint(1)', 'int' => 'int', 'smallint' => 'smallint', 'datetime' => 'datetime',
            'text' => 'text', 'blob' => 'blob', 'varchar' => 'varchar'];
        $columns = [];
        foreach (self::schema()->table as $table) {
            foreach ($table->column as $column) {
                $type = (string) self::attribute($column, 'type');
                $definition = $types[$type] . ($type === 'varchar' ? '(' . (self::attribute($column, 'length') ?? '255') . ')' : '');
                if (self::attribute($column, 'unsigned') === 'true') {
                    $definition .= ' unsigned';
                }
                $nullable = self::attribute($column, 'nullable') !== 'false';
                $definition .= $nullable ? '' : ' NOT NULL';
                $default = self::attribute($column, 'default');
                if (self::attribute($column, 'identity') === 'true') {
                    $definition .= ' AUTO_INCREMENT';
                } elseif ($default !== null) {
                    $definition .= ' DEFAULT ' . $default;
                } elseif ($nullable) {
                    $definition .= ' DEFAULT NULL';
                }
                if (self::attribute($column, 'on_update') === 'true') {
                    $definition .= ' ON UPDATE CURRENT_TIMESTAMP';
                }
                $columns[(string) self::attribute($table, 'name')][(string) self::attribute($column, 'name')] = $definition;
            }
        }

        return $columns;
    }

    /**
     * @return array<string, array<string, string>> table => column => normalized definition
     */
    private static function fixtureColumns(string $sql): array
    {
        $columns = [];
        preg_match_all('/CREATE TABLE `(\w+)` \((.*?)\n\)/s', $sql, $tables, PREG_SET_ORDER);
        foreach ($tables as [, $table, $body]) {
            if (!in_array($table, self::TABLES, true)) {
                continue;
            }
            preg_match_all('/^\s*`(\w+)` (.+?)(?: COMMENT \'[^\']*\')?,?$/m', $body, $lines, PREG_SET_ORDER);
            foreach ($lines as [, $column, $definition]) {
                $columns[$table][$column] = $definition;
            }
        }

        return $columns;
    }

    public function testColumnsMatchTheSqlFixture(): void
    {
        if (!is_file(self::SQL_FIXTURE)) {
            self::markTestSkipped('fixtures/sql/magento-schema.sql is not beside this module (not in the sidecar repository).');
        }

        $declared = self::declaredColumns();

        self::assertSame([9, 7], array_map('count', array_values($declared)), 'upstream has 9 + 7 columns');
        self::assertSame(self::fixtureColumns((string) file_get_contents(self::SQL_FIXTURE)), $declared);
    }

    public function testTheLogHasItsUuidIndexAndCascadingForeignKey(): void
    {
        $log = self::schema()->xpath('/schema/table[@name="async_event_subscriber_log"]')[0];
        $foreign = $log->xpath('constraint[@referenceId="FK_5DC4CE95673D2497179D07B60DE79F61"]')[0];
        $index = $log->xpath('index[@referenceId="ASYNC_EVENT_SUBSCRIBER_LOG_UUID"]')[0];

        self::assertSame(
            ['foreign', 'subscription_id', 'async_event_subscriber', 'subscription_id', 'CASCADE'],
            [
                self::attribute($foreign, 'type'),
                self::attribute($foreign, 'column'),
                self::attribute($foreign, 'referenceTable'),
                self::attribute($foreign, 'referenceColumn'),
                self::attribute($foreign, 'onDelete'),
            ]
        );
        self::assertSame(['btree', 'uuid'], [self::attribute($index, 'indexType'), (string) $index->column['name']]);
    }
}
